"""Variables that start as a Python number and then take a numpy type (`acc = 0` then
`acc += img[y, x]`), which compiled code keeps in that type from the start.

On the vector engine such a variable is a Python number until some lane of the chunk runs an
assignment of the numpy type: `0 + uint8` is uint8 (NEP 50), so a box blur's sum wraps in uint8
as compiled code wraps it. But where no lane has run one yet (a loop that ran no iteration, a
branch no lane took) the variable still holds the Python number, and `acc - 1` is -1 there where
compiled code computes 255; and a Python number assigned under a mask while the variable holds
another one becomes an int64 or float64 array, which `acc += uint8` keeps in 64 bits. So the
kernel stays on the vector engine unless, wherever the variable may still hold its Python number,
each read gives the same bits either way: an operand of arithmetic that numpy types alike for
the number and for the variable's type (`acc += img[y, x]`), a comparison, or a store or a
cast of the whole value to a type that holds the number exactly.
"""

from __future__ import annotations

import ast

import numpy as np

from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.numbers import NotCompilable

_SAME_EITHER_WAY = (
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.FloorDiv,
    ast.Mod,
    ast.BitAnd,
    ast.BitOr,
    ast.BitXor,
)
UNSET, WEAK, STRONG = "unset", "weak", "strong"


def check(kernel) -> None:
    """Refuse the kernel if a variable's Python number may be read where it gives other bits
    than compiled code's typed value (see the module's docstring)."""
    for name, starts in _weak_starts(kernel).items():
        _Flow(kernel, name, starts).block(kernel.body, frozenset({UNSET}), top=True)


def _weak_starts(kernel) -> dict[str, list]:
    """Variable of a numpy type -> the values of its assignments that are Python numbers."""
    starts: dict[str, list] = {}
    for node in ast.walk(ast.Module(body=kernel.body, type_ignores=[])):
        if not (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)):
            continue
        name = node.targets[0].id
        kind = kernel.types.get(name)
        if not isinstance(kind, np.dtype) or kind == nb.BOOL:
            continue
        if nb.is_weak(_kind(kernel, node.value)):
            starts.setdefault(name, []).append(node.value)
    return starts


def _kind(kernel, node: ast.AST):
    try:
        return kernel.expr(node)[1]
    except NotCompilable:
        return None


def _number(node: ast.AST) -> int | float | None:
    """The number a literal (or a negated one) writes, or None."""
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError):
        return None
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _holds(dtype: np.dtype, value) -> bool:
    """Whether `dtype` holds `value` exactly."""
    if dtype == nb.BOOL:
        return True
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return float(value).is_integer() and info.min <= value <= info.max
    return bool(dtype.type(value) == value)


class _Flow:
    """Which of (unset, Python number, numpy type) the variable may hold at each statement."""

    def __init__(self, kernel, name: str, starts: list):
        self.kernel = kernel
        self.name = name
        self.kind = kernel.types[name]
        self.numbers = [_number(value) for value in starts]
        self.weak_kinds = {_kind(kernel, value) for value in starts}
        if any(nb.is_maybe(_kind(kernel, value)) for value in starts):
            raise NotCompilable(f"'{name}' may start as an int64 or float64 array")

    def block(self, statements, state: frozenset, top: bool = False):
        """(the state after `statements`, every state seen inside them)."""
        seen = state
        for statement in statements:
            state, inner = self.statement(statement, state, top)
            seen |= inner | state
        return state, seen

    def statement(self, node: ast.stmt, state: frozenset, top: bool):
        if isinstance(node, ast.If):
            self.reads(node.test, state)
            body, body_seen = self.block(node.body, state)
            orelse, orelse_seen = self.block(node.orelse, state)
            return body | orelse, body_seen | orelse_seen
        if isinstance(node, (ast.For, ast.While)):
            if isinstance(node, ast.For) and self.name in _names([node.target]):
                raise NotCompilable(f"'{self.name}', first a Python number, is a loop variable")
            self.reads(node.iter if isinstance(node, ast.For) else node.test, state)
            head = state
            for _ in range(4):
                end, seen = self.block(node.body, head)
                if isinstance(node, ast.While):
                    self.reads(node.test, end)
                jumps = any(isinstance(n, (ast.Break, ast.Continue)) for n in ast.walk(node))
                looped = state | end | (seen if jumps else frozenset())
                if looped == head:
                    break
                head = looped
            runs = isinstance(node, ast.For) and _runs(node) and not jumps
            return (end if runs else head), seen
        if isinstance(node, (ast.Return, ast.Break, ast.Continue)):
            return frozenset(), state
        if isinstance(node, ast.Assign) and _names(node.targets) == [self.name]:
            self.reads(node.value, state)
            return self.assigned(node.value, state, top), state
        if isinstance(node, ast.AugAssign) and _names([node.target]) == [self.name]:
            if WEAK in state and not self._same_operand(node.op, node.value):
                self._refuse(node.target)
            self.reads(node.value, state)
            return frozenset({STRONG}), state
        if self.name in _names(getattr(node, "targets", [getattr(node, "target", None)])):
            raise NotCompilable(f"'{self.name}', first a Python number, assigned in a tuple")
        stores = isinstance(node, (ast.Assign, ast.AugAssign))
        if stores and _is_name(node.value, self.name) and WEAK in state:
            self._store(node)
            node = node.targets[0] if isinstance(node, ast.Assign) else node.target
        for child in ast.iter_child_nodes(node):
            self.reads(child, state)
        return state, state

    def assigned(self, value: ast.AST, state: frozenset, top: bool) -> frozenset:
        if not nb.is_weak(_kind(self.kernel, value)):
            return frozenset({STRONG})
        if top:  # the kernel's own level: every lane's value is replaced
            return frozenset({WEAK})
        if WEAK in state:  # merged under a mask with a Python number: an int64/float64 array
            raise NotCompilable(f"'{self.name}' set to Python numbers under different masks")
        # under a mask the numpy-typed value stays numpy-typed; an all-true mask replaces it
        return frozenset({WEAK}) | (state & {STRONG})

    def reads(self, node: ast.AST | None, state: frozenset) -> None:
        """Refuse a read of the variable, where it may hold its Python number, whose bits
        would differ from compiled code's."""
        if node is None or WEAK not in state:
            return
        parents = {
            child: parent for parent in ast.walk(node) for child in ast.iter_child_nodes(parent)
        }
        for name in ast.walk(node):
            if (
                isinstance(name, ast.Name)
                and name.id == self.name
                and not self._same(name, parents)
            ):
                self._refuse(name)

    def _same(self, name: ast.Name, parents: dict) -> bool:
        parent = parents.get(name)
        if isinstance(parent, ast.BinOp):
            other = parent.right if parent.left is name else parent.left
            return self._same_operand(parent.op, other)
        if isinstance(parent, ast.Compare):  # numbers compare exactly, floats once rounded
            return nb.is_integer(self.kind) or self._exact(nb.FLOAT32)
        if isinstance(parent, ast.Call) and parent.args == [name] and not parent.keywords:
            try:  # a cast (float32(last)) to a type that holds the number exactly
                meaning = self.kernel.resolve(parent.func)
            except NotCompilable:
                return False
            target = getattr(meaning, "value", None)
            return isinstance(target, np.dtype) and self._exact(target)
        return False

    def _same_operand(self, op: ast.operator, other: ast.AST) -> bool:
        """`number op other` and `typed op other` give the same bits: numpy gives both the
        same type, which holds the number exactly."""
        if not isinstance(op, (*_SAME_EITHER_WAY, ast.Div)):
            return False
        if any(_is_name(n, self.name) for n in ast.walk(other)):
            return False  # two Python numbers would give a Python number
        promote = nb.true_divide if isinstance(op, ast.Div) else nb.combine
        try:
            other_kind = _kind(self.kernel, other)
            result = promote(self.kind, other_kind)
            if any(promote(weak, other_kind) != result for weak in self.weak_kinds):
                return False
        except NotCompilable:
            return False
        return result == self.kind or all(
            n is not None and _holds(self.kind, n) for n in self.numbers
        )

    def _store(self, node: ast.Assign | ast.AugAssign) -> None:
        """`a[i] = variable` stores the same number either way when both types hold it exactly;
        `a[i] += variable` gives the same bits where `a` has the variable's type."""
        target = node.targets[0] if isinstance(node, ast.Assign) else node.target
        array = target.value if isinstance(target, ast.Subscript) else None
        ref = self.kernel.arrays.get(array.id) if isinstance(array, ast.Name) else None
        if ref is None:
            self._refuse(node)
        elif isinstance(node, ast.Assign) and not self._exact(ref.dtype):
            self._refuse(node)
        elif isinstance(node, ast.AugAssign) and not (
            ref.dtype == self.kind and isinstance(node.op, _SAME_EITHER_WAY)
        ):
            self._refuse(node)

    def _exact(self, dtype: np.dtype) -> bool:
        return all(
            n is not None and _holds(self.kind, n) and _holds(dtype, n) for n in self.numbers
        )

    def _refuse(self, node: ast.AST) -> None:
        raise NotCompilable(
            f"'{self.name}' may still hold the Python number it started as where line "
            f"{getattr(node, 'lineno', '?')} reads it, giving other bits than its {self.kind}"
        )


def _is_name(node, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _names(targets) -> list[str]:
    return [t.id for t in targets if isinstance(t, ast.Name)] + [
        e.id for t in targets if isinstance(t, ast.Tuple) for e in t.elts if isinstance(e, ast.Name)
    ]


def _runs(loop: ast.For) -> bool:
    """Whether `for _ in range(...)` with numbers written in the kernel runs at least once."""
    call = loop.iter
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
        return False
    bounds = [_number(argument) for argument in call.args]
    if call.func.id != "range" or not bounds or any(not isinstance(b, int) for b in bounds):
        return False
    return len(range(*bounds)) > 0
