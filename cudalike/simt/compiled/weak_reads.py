"""How one read of a variable that may still hold the Python number it started as is judged
(weak_starts.py follows where it may): the part of the expression around the read built only
from the variable and known numbers is evaluated for each start number with Python's rules and
with numpy's for the variable's type, and the read is accepted where what that value meets
treats both results alike. A shuffle of the variable is part of the part (it returns a Python
number as it is), as is `int()` or `float()` of it (a Python number's is a Python number, an
array's is int64 or float64), and an integer that is the same number either way indexes the same
element. A comparison in the variable's own float type sees the same numbers either way where
the start number and the typed one round to the same bits of that type (numpy rounds a Python
float to float32 to compare it with float32 values, as compiled code rounds the start)."""

from __future__ import annotations

import ast
import operator
import warnings

import numpy as np

from cudalike.simt import frontend
from cudalike.simt.compiled import atomics, counters
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.numbers import NotCompilable
from cudalike.simt.compiled.start_numbers import (
    BINARY,
    DOUBLE,
    UNARY,
    bits,
    cast,
    convert,
    holds,
    kind_of,
    number,
    same_number,
)

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
_COMPARE = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_SHUFFLES = ("shfl_sync", "shfl_up_sync", "shfl_down_sync", "shfl_xor_sync")
_EXACT_IN_DOUBLES = (ast.Add, ast.Sub, ast.Mult)  # Python's float arithmetic is float64's
_CONVERSIONS = (frontend.Builtin("int"), frontend.Builtin("float"))


class Reads:
    """The judgment of reads of one variable of numpy type `kind` whose start numbers are
    `numbers` (None where unknown) of weak types `weak_kinds`."""

    def __init__(self, kernel, name: str, numbers: list, weak_kinds: set, weak_reads, typed):
        self.kernel = kernel
        self.name = name
        self.kind = kernel.types[name]
        self.numbers = numbers
        self.weak_kinds = weak_kinds
        self.copies: list[tuple[str, ast.Assign, frozenset]] = []  # (target, assignment, state)
        self.weak_reads: set[ast.Name] = weak_reads  # reads of any variable's Python number
        self.typed: list[ast.AST] = typed  # operands taken as numpy-typed (see weak_starts.py)

    def part(self, name: ast.Name, parents: dict) -> ast.AST:
        """The largest expression around `name` built only from it and known numbers."""
        node = name
        while True:
            parent = parents.get(node)
            if isinstance(parent, ast.UnaryOp) and type(parent.op) in UNARY:
                node = parent
            elif isinstance(parent, ast.BinOp) and type(parent.op) in BINARY:
                if not (self._numbers_only(parent) or self._in_doubles(parent)):
                    return node
                node = parent
            elif self.shuffled(parent, node) or self.converted(parent, node):
                node = parent
            else:
                return node

    def shuffled(self, call, value: ast.AST) -> bool:
        """Whether `call` is a shuffle of `value`. A Python number is one number for every lane
        of the chunk, which a shuffle returns as it is on the vector engine; compiled code then
        reads another lane's typed value, the same number in the same type."""
        if not (isinstance(call, ast.Call) and len(call.args) == 3 and call.args[1] is value):
            return False
        try:
            meaning = self.kernel.resolve(call.func)
        except NotCompilable:
            return False
        return isinstance(meaning, frontend.Intrinsic) and meaning.path in _SHUFFLES

    def converted(self, call, value: ast.AST) -> bool:
        """Whether `call` is `int(value)` or `float(value)`."""
        if not (isinstance(call, ast.Call) and call.args == [value] and not call.keywords):
            return False
        try:
            meaning = self.kernel.resolve(call.func)
        except NotCompilable:
            return False
        return meaning in _CONVERSIONS

    def _in_doubles(self, node: ast.AST) -> bool:
        """Whether `node` computes the same double on both tiers: the variable is float64 and
        starts at Python floats, and `node` adds, subtracts and multiplies it with Python
        floats in float64."""
        if is_name(node, self.name):
            return self.kind == nb.FLOAT64 and all(type(n) is float for n in self.numbers)
        if isinstance(node, ast.UnaryOp):
            return type(node.op) in UNARY and self._in_doubles(node.operand)
        if isinstance(node, ast.BinOp) and isinstance(node.op, _EXACT_IN_DOUBLES):
            return kind_of(self.kernel, node) == nb.FLOAT64 and all(
                self._in_doubles(n)
                if _reads(n, self.name)
                else kind_of(self.kernel, n) == nb.WEAK_FLOAT
                for n in (node.left, node.right)
            )
        return False

    def _numbers_only(self, node: ast.AST) -> bool:
        if is_name(node, self.name) or number(self.kernel, node) is not None:
            return True
        if isinstance(node, ast.Call) and len(node.args) == 3:
            return self.shuffled(node, node.args[1]) and self._numbers_only(node.args[1])
        if isinstance(node, ast.Call) and len(node.args) == 1:
            return self.converted(node, node.args[0]) and self._numbers_only(node.args[0])
        if isinstance(node, ast.UnaryOp):
            return type(node.op) in UNARY and self._numbers_only(node.operand)
        if isinstance(node, ast.BinOp):
            return type(node.op) in BINARY and all(
                self._numbers_only(n) for n in (node.left, node.right)
            )
        return False

    def _values(self, part: ast.AST) -> list[tuple] | None:
        """(Python's value, numpy's value) of `part` for each start number, or None where one
        is unknown or an evaluation fails or numpy's type is not compiled code's."""
        kind = kind_of(self.kernel, part)
        if None in self.numbers or not isinstance(kind, np.dtype):
            return None
        if self._in_doubles(part) and not self._numbers_only(part):
            return [(DOUBLE, DOUBLE)]
        values = []
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            for number in self.numbers:
                try:
                    python = self._evaluate(part, number)
                    typed = self._evaluate(part, self.kind.type(number))
                except (ArithmeticError, TypeError, ValueError):
                    return None
                if not isinstance(python, (int, float)) or np.dtype(type(typed)) != kind:
                    return None
                values.append((python, typed))
        return values

    def _evaluate(self, node: ast.AST, value):
        if is_name(node, self.name):
            return value
        if isinstance(node, ast.UnaryOp) and type(node.op) in UNARY:
            return UNARY[type(node.op)](self._evaluate(node.operand, value))
        if isinstance(node, ast.BinOp):
            left, right = (self._evaluate(n, value) for n in (node.left, node.right))
            return BINARY[type(node.op)](left, right)
        if isinstance(node, ast.Call) and len(node.args) == 1:  # int() or float()
            return convert(self.kernel.resolve(node.func).name, self._evaluate(node.args[0], value))
        if isinstance(node, ast.Call):  # a shuffle (see `shuffled`)
            return self._evaluate(node.args[1], value)
        return number(self.kernel, node)

    def same(self, part: ast.AST, parent, state: frozenset) -> bool:
        """Whether what `part` meets in `parent` treats Python's and numpy's values alike."""
        if isinstance(parent, ast.Assign) and (
            len(parent.targets) > 1 or is_name(parent.targets[0], self.name)
        ):
            return False  # the part's Python number would stay a Python number
        if isinstance(parent, ast.Assign) and isinstance(parent.targets[0], ast.Name):
            target = parent.targets[0].id
            if not is_name(part, self.name) or part is not parent.value:
                return False
            if self.kernel.types.get(target) != self.kind:
                return False
            self.copies.append((target, parent, state))
            return True
        values = self._values(part)
        if values is None:
            return False
        if isinstance(parent, ast.BinOp):
            other = parent.right if parent.left is part else parent.left
            if kind_of(self.kernel, other) == nb.MAYBE_COUNT and not self._weak_inside(other):
                return counters.start_meets_counter(parent.op, kind_of(self.kernel, part), values)
            return self._arithmetic(parent.op, part, other, values)
        if isinstance(parent, ast.Compare):
            return self._compared(part, parent, values)
        if isinstance(parent, ast.Subscript) and parent.slice is part:
            return self._index(part, values)
        if isinstance(parent, (ast.Assign, ast.AugAssign)):
            return self._stored(part, parent, values)
        if isinstance(parent, ast.Call) and parent.args == [part] and not parent.keywords:
            target = cast(self.kernel, parent)  # a cast (float32(last)) giving the same bits
            return target is not None and self._converted_alike(target, values)
        if isinstance(parent, ast.Call) and not parent.keywords:
            return self._called(part, parent, values)
        return False

    def _called(self, part, call: ast.Call, values: list[tuple]) -> bool:
        """`min(part, other)` and `max(part, other)` are numpy's minimum and maximum, typed as
        arithmetic; an atomic converts its value to the array's type."""
        try:
            meaning = self.kernel.resolve(call.func)
        except NotCompilable:
            return False
        if isinstance(meaning, frontend.Builtin) and meaning.name in ("min", "max"):
            if len(call.args) != 2:
                return False
            other = call.args[1] if call.args[0] is part else call.args[0]
            return self._arithmetic(ast.Add(), part, other, values)
        if not atomics.is_atomic(meaning) or not isinstance(call.args[0], ast.Name):
            return False
        cas = meaning.path == "atomic.compare_and_swap"
        array = self.kernel.arrays.get(call.args[0].id)
        if not cas and call.args[1] is part:
            return array is not None and self._index(part, values)
        if not any(part is value for value in call.args[1 if cas else 2 :]):
            return False
        return array is not None and self._converted_alike(array.dtype, values)

    def _index(self, part: ast.AST, values: list[tuple]) -> bool:
        """An index names the same element either way: the integer is the same number."""
        kind = kind_of(self.kernel, part)
        return kind.kind in "iu" and all(
            type(python) is int and same_number(python, typed) for python, typed in values
        )

    def decided(self, test: ast.AST) -> bool | None:
        """The truth of `test`, a comparison of the variable (or a part of it, see `part`) with
        known numbers, where the variable holds its Python number: the same for every start
        number, or None. The vector engine then runs the branch it decides for no lane."""
        if not isinstance(test, ast.Compare) or None in self.numbers:
            return None
        operands = [test.left, *test.comparators]
        if not all(self._numbers_only(n) for n in operands):
            return None
        truths = set()
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            for number in self.numbers:
                try:
                    values = [self._evaluate(n, number) for n in operands]
                except (ArithmeticError, TypeError, ValueError):
                    return None
                pairs = zip(values, values[1:], strict=False)
                truths.add(
                    all(_COMPARE[type(o)](a, b) for o, (a, b) in zip(test.ops, pairs, strict=True))
                )
        return truths.pop() if len(truths) == 1 else None

    def _arithmetic(self, op: ast.operator, part, other, values: list[tuple], into=None) -> bool:
        """`part op other` with numpy-typed `other` has one type either way (`into` where
        given), in which both values are the same bits."""
        if not isinstance(op, (*_SAME_EITHER_WAY, ast.Div)):
            return False
        if self._weak_inside(other):
            return False
        other_kind = kind_of(self.kernel, other)
        if not isinstance(other_kind, np.dtype) or other_kind == nb.BOOL:
            return False
        promote = nb.true_divide if isinstance(op, ast.Div) else nb.combine
        try:
            result = promote(kind_of(self.kernel, part), other_kind)
            for python, typed in values:
                weak = nb.WEAK_INT if isinstance(python, int) else nb.WEAK_FLOAT
                if promote(weak, other_kind) != result or into not in (None, result):
                    return False
                if isinstance(python, int) and other_kind.kind in "iu":
                    if not holds(other_kind, python):  # numpy converts it to `other`'s type
                        return False
                converted = bits(python, result)
                if converted is None or converted != bits(typed, result):
                    return False
        except NotCompilable:
            return False
        return True

    def _compared(self, part, compare: ast.Compare, values: list[tuple]) -> bool:
        """Both tiers compare the same two numbers exactly: each side's type it is compared
        in holds its value, or (for the part) is the part's own float type, into which both
        of its values round to the same bits (`d < best` after `best = 1e30`, float32)."""
        operands = [compare.left, *compare.comparators]
        at = next(i for i, n in enumerate(operands) if n is part)
        kind = kind_of(self.kernel, part)
        for other in operands[max(at - 1, 0) : at] + operands[at + 1 : at + 2]:
            other_kind = kind_of(self.kernel, other)
            if other_kind is None or nb.is_maybe(other_kind):
                return False
            if self._weak_inside(other):
                return False
            try:
                kinds = {nb.comparison(kind, other_kind)}
                for python, _ in values:
                    kinds.add(nb.comparison(_weak(python), other_kind))
            except NotCompilable:
                return False
            for common in kinds:
                if not self._held(other, other_kind, common):
                    return False
                if common == kind and kind.kind == "f" and _rounded_alike(kind, values):
                    continue
                if isinstance(common, np.dtype) and not all(holds(common, p) for p, _ in values):
                    return False
                if not all(same_number(p, t) for p, t in values):
                    return False
        return True

    def _held(self, node: ast.AST, kind, common) -> bool:
        """Whether every value of `node` (of type `kind`) is held exactly by `common`."""
        if not isinstance(common, np.dtype):
            return True  # two Python numbers compare exactly
        known = number(self.kernel, node)
        if known is not None:
            return holds(common, known)
        if kind == nb.WEAK_INT:
            return common == nb.INT64
        if kind == nb.WEAK_FLOAT:
            return common == nb.FLOAT64
        if kind.kind in "iu" and common.kind == "f":
            return kind.itemsize < common.itemsize
        return kind == nb.BOOL or np.can_cast(kind, common, "safe")

    def _stored(self, part, node: ast.Assign | ast.AugAssign, values: list[tuple]) -> bool:
        """`a[i] = part` stores the same bits either way; `a[i] += part` (or `total += part`)
        computes in `a`'s (`total`'s) type from the same bits."""
        target = node.targets[0] if isinstance(node, ast.Assign) else node.target
        if isinstance(node, ast.AugAssign) and isinstance(target, ast.Name):
            kind = self.kernel.types.get(target.id)
            return isinstance(kind, np.dtype) and self._arithmetic(
                node.op, part, target, values, into=kind
            )
        array = target.value if isinstance(target, ast.Subscript) else None
        ref = self.kernel.arrays.get(array.id) if isinstance(array, ast.Name) else None
        if ref is None:
            return False
        if isinstance(node, ast.AugAssign):
            return self._arithmetic(node.op, part, target, values, into=ref.dtype)
        return self._converted_alike(ref.dtype, values)

    def _converted_alike(self, dtype: np.dtype, values: list[tuple]) -> bool:
        """Both values convert to the same bits of `dtype`; integers on either side only where
        they are held exactly."""
        for python, typed in values:
            exact = isinstance(python, int) or dtype.kind in "iu"
            if exact and not (holds(dtype, python) and same_number(python, typed)):
                return False
            if bits(python, dtype) != bits(typed, dtype):
                return False
        return True

    def _same_operand(self, op: ast.operator, other: ast.AST) -> bool:
        """`number op= other` and `typed op= other` give the same bits: numpy gives both the
        same type, which holds the number exactly."""
        if not isinstance(op, (*_SAME_EITHER_WAY, ast.Div)):
            return False
        if self._weak_inside(other):
            return False  # two Python numbers would give a Python number
        promote = nb.true_divide if isinstance(op, ast.Div) else nb.combine
        try:
            other_kind = kind_of(self.kernel, other)
            result = promote(self.kind, other_kind)
            if any(promote(weak, other_kind) != result for weak in self.weak_kinds):
                return False
        except NotCompilable:
            return False
        return result == self.kind or all(
            n is not None and holds(self.kind, n) for n in self.numbers
        )

    def _weak_inside(self, node: ast.AST) -> bool:
        """Whether the operand `node` reads the variable itself (two Python numbers give a
        Python number); `node` is taken as numpy-typed, which weak_starts.py checks once
        every variable's flow is known."""
        self.typed.append(node)
        return _reads(node, self.name)


def _weak(number) -> object:
    return nb.WEAK_FLOAT if isinstance(number, float) else nb.WEAK_INT


def _reads(node: ast.AST, name: str) -> bool:
    return any(is_name(n, name) for n in ast.walk(node))


def is_name(node, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _rounded_alike(kind: np.dtype, values: list[tuple]) -> bool:
    """Both values of each pair round to the same bits of the float type `kind`."""
    with np.errstate(all="ignore"):  # a start beyond float32 rounds to inf both ways
        return all(bits(python, kind) == bits(typed, kind) for python, typed in values)
