"""Variables that start as a Python number and then take a numpy type (`acc = 0` then
`acc += img[y, x]`), which compiled code keeps in that type from the start.

On the vector engine such a variable is a Python number until some lane of the chunk runs an
assignment of the numpy type: `0 + uint8` is uint8 (NEP 50), so a box blur's sum wraps in uint8
as compiled code wraps it. But where no lane has run one yet (a loop that ran no iteration, a
branch no lane took) the variable still holds the Python number, and `acc - 1` is -1 there where
compiled code computes 255; and a Python number assigned under a mask while the variable holds
another one becomes an int64 or float64 array, which `acc += uint8` keeps in 64 bits. So the
kernel stays on the vector engine unless, wherever the variable may still hold its Python number,
each read gives the same bits either way.

There the variable holds one of its start numbers (literals, or constants the kernel resolves:
`math.inf`, a module's float), and weak_reads.py judges each read by its *part*, the largest
expression around it built only from the variable, known numbers, `+ - * / // % & | ^` and unary
minus (`s * 0.5` in `s * 0.5 + a[i, k]`), evaluated for each start number with Python's rules
and with numpy's for the variable's type. The read is accepted where what the part meets treats
both values alike: arithmetic with a numpy-typed operand gives one result type either way and
both values convert to the same bits in it (Python's `0.0 * 0.5` and float32(0) * 0.5; not
`0.3 * 3.0`, which rounds to another float32, nor `1 * 3 - 4`, which no uint8 holds); a
comparison sees the same number on both tiers, held exactly by the type it is compared in; a
store, a cast or an atomic's value gets the same bits; `min` and `max` with a numpy-typed
operand are judged as arithmetic. A float64 variable started at Python floats may also be
added, subtracted and multiplied with Python floats not known when compiling (`s * h`, `h = 1.0
/ n`): Python's float arithmetic is float64's, so the value is the same double on both tiers,
which then meets float64 alike (but float32 as float32 only on the vector engine). A copy
into another variable of the same type (`alive = count`, a device function's result) makes
that variable one to follow too, with the copied numbers. An operand taken as numpy-typed must
not itself be a read of a variable that may still hold its Python number (two Python floats
add exactly, two float32 values in float32).

Where the vector engine runs a body with every lane of the chunk active (full_masks.py), an
assignment there replaces the value whole, as at the top level. An `if` comparing the
variable's Python number with known numbers is decided alike for every lane (`if b >= BINS`
after `b = 0`), so its branch only sees the numpy-typed value. A shuffle returns a Python number
as it is, and compiled code reads the same number from another lane; `x = shuffle(..., x, ...)`
leaves the variable as it was (the Python number merged with itself is the same object; an
array is shuffled into one of its type), so the warp-aggregated atomics' `base = 0`, set from
an atomic in the leader lane and then shuffled, meets `rank` as int32 either way. Where the
flow still refuses, it is followed again with every `for` loop that the Python number may enter
checked at run time to run at least once (start_numbers.stop_check, a known positive step): the
first iteration's typed assignment then reaches every lane (`m = -1e30`, then `m = max(m,
x[row, j])` in a warp-per-row softmax), and a launch with a loop of no iteration is handed back.
A shuffle of a wide value (below) into the variable keeps it wide.

Two Python numbers merged under a partial mask make an int64 array of them: for an integer
variable it is followed as such (WIDE), and same_numbers.py accepts the reads and bitwise
updates where it gives the numbers compiled code's narrower type gives (`result = 0` at each
step of a loop whose lanes may have left, then `result ^= table[d, bit]`). A read of a Python
number not known when compiling (`row = nr - 1` of a scalar argument) that weak_reads.py cannot
judge is also given to same_numbers.py, which may accept it with run-time checks.
"""

from __future__ import annotations

import ast

import numpy as np

from cudalike.simt.compiled import counters, full_masks, same_numbers, start_numbers
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.numbers import NotCompilable
from cudalike.simt.compiled.start_numbers import cast, kind_of, number
from cudalike.simt.compiled.weak_reads import Reads, is_name

# WIDE: an int64 array of the numbers compiled code holds in the variable's narrower type
UNSET, WEAK, STRONG, WIDE = "unset", "weak", "strong", "wide"
_ROUNDS = 32  # copies followed from variable to variable before giving up


def check(kernel) -> None:
    """Refuse the kernel if a variable's Python number may be read where it gives other bits
    than compiled code's typed value (see the module's docstring), once counters.py has
    marked the variables that may hold a Python number or a 64-bit array. Where a refusal
    remains (two variables' Python numbers meeting after a loop: `hi - lo` after `lo = min(lo,
    v)` in a loop over a row), every variable is followed again with the loops its Python
    number may enter checked to run at least once."""
    counters.mark(kernel)
    stops = dict(kernel.stops)
    try:
        _check(kernel, must_run=False)
    except NotCompilable as refusal:
        kernel.stops.clear()
        kernel.stops.update(stops)
        try:
            _check(kernel, must_run=True)
        except NotCompilable:
            raise refusal from None


def _check(kernel, must_run: bool) -> None:
    """`check`, with every flow's loops checked to run (`must_run`) or only where that flow
    needs it."""
    starts = _weak_starts(kernel)
    copies: dict[str, dict] = {}  # variable -> {copying assignment: (state, numbers, kinds)}
    weak_reads: set[ast.Name] = set()  # every read where its variable may be a Python number
    typed: list[ast.AST] = []  # the operands a read was accepted with as numpy-typed
    pending = list(starts)
    full = full_masks.full_statements(kernel)
    for _ in range(len(pending) + _ROUNDS):
        if not pending:
            break
        name = pending.pop(0)
        given = (starts.get(name, []), copies.get(name, {}), full)
        flow = _followed(kernel, name, given, must_run)
        weak_reads |= flow.weak_reads
        typed += flow.typed
        for target, node, state in flow.copies:
            known = copies.setdefault(target, {})
            entry = (state, tuple(flow.numbers), frozenset(flow.weak_kinds))
            if known.get(node) != entry:
                known[node] = entry
                pending.append(target)
    if pending:
        raise NotCompilable("Python numbers copied between variables too many times")
    for operand in typed:
        _typed_either_way(kernel, operand, weak_reads)


def _followed(kernel, name: str, known: tuple, must_run: bool) -> _Flow:
    """The flow of `name` through the kernel given its (start values, copying assignments,
    full_masks statements); where it refuses, or where `must_run`, the flow with the loops it
    reaches with its Python number checked at run time to run at least once (the launch is
    handed back where one would not), if that accepts it."""
    try:
        flow = _flow(kernel, name, known, must_run=must_run)
    except NotCompilable as refusal:
        if must_run:
            raise
        try:
            flow = _flow(kernel, name, known, must_run=True)
        except NotCompilable:
            raise refusal from None
    kernel.stops.update(flow.stops)  # loops that must run, reads checked (same_numbers.py)
    return flow


def _flow(kernel, name: str, known: tuple, must_run: bool) -> _Flow:
    """`name`'s flow given its (start values, copying assignments, full_masks statements)."""
    starts, copied, full = known
    flow = _Flow(kernel, name, starts, copied, (set(), []))
    flow.must_run, flow.full = must_run, full
    flow.block(kernel.body, frozenset({UNSET}), top=True)
    return flow


def _typed_either_way(kernel, operand: ast.AST, weak_reads: set) -> None:
    """Refuse where `operand`, taken as numpy-typed, may be a Python number on the vector
    engine: it reads a variable that may still hold one, other than as an index or a cast's
    argument."""
    parents = {
        child: parent for parent in ast.walk(operand) for child in ast.iter_child_nodes(parent)
    }
    for name in ast.walk(operand):
        if name not in weak_reads:
            continue
        parent = parents.get(name)
        if isinstance(parent, ast.Subscript) and parent.value is not name:
            continue
        if isinstance(parent, ast.Call) and parent.args == [name] and cast(kernel, parent):
            continue
        if _absorbed(kernel, name, operand, parents, weak_reads):
            continue
        raise NotCompilable(
            f"two values that may still be the Python numbers they started as meet at line "
            f"{getattr(name, 'lineno', '?')}"
        )


def _absorbed(kernel, read: ast.Name, operand: ast.AST, parents: dict, weak_reads: set) -> bool:
    """Whether `read` meets, inside `operand`, a numpy-typed value that reads no Python number
    (`running_max - new_max` in `math.exp(running_max - new_max)`): the vector engine's result
    is numpy-typed there whatever the read holds (the read itself is judged where it meets),
    and stays so through arithmetic and math calls up to `operand`."""
    node, absorbed = read, False
    while node is not operand:
        parent = parents.get(node)
        if isinstance(parent, ast.BinOp):
            other = parent.right if parent.left is node else parent.left
            absorbed = absorbed or _numpy_typed(kernel, other, weak_reads)
        elif not (
            isinstance(parent, ast.UnaryOp) and isinstance(parent.op, (ast.USub, ast.UAdd))
        ) and not (isinstance(parent, ast.Call) and absorbed and _math_call(kernel, parent)):
            return False
        node = parent
    return absorbed


def _numpy_typed(kernel, node: ast.AST, weak_reads: set) -> bool:
    kind = kind_of(kernel, node)
    return (
        isinstance(kind, np.dtype)
        and not nb.is_weak(kind)
        and not any(part in weak_reads for part in ast.walk(node))
    )


def _math_call(kernel, call: ast.Call) -> bool:
    """A call of a `math` function, which gives a numpy value of a numpy argument."""
    try:
        meaning = kernel.resolve(call.func)
    except NotCompilable:
        return False
    value = getattr(meaning, "value", None)
    return callable(value) and getattr(value, "__module__", None) == "math" and not call.keywords


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
        if nb.is_weak(kind_of(kernel, node.value)):
            starts.setdefault(name, []).append(node.value)
    return starts


class _Flow(Reads):
    """Which of (unset, Python number, numpy type, int64 array of its numbers) the variable may
    hold at each statement."""

    def __init__(self, kernel, name: str, starts: list, copied: dict, shared: tuple):
        numbers = [number(kernel, value) for value in starts]
        weak_kinds = {kind_of(kernel, value) for value in starts}
        for _, copied_numbers, kinds in copied.values():
            numbers += [n for n in copied_numbers if n not in numbers]
            weak_kinds |= kinds
        super().__init__(kernel, name, numbers, weak_kinds, *shared)
        self.copied = copied  # the assignments copying another variable's Python number
        self.must_run = False  # whether loops reached with the Python number must run
        self.full: set = set()  # statements whose bodies run with every lane (full_masks.py)
        self.stops: dict = {}  # the stops of those loops, checked (start_numbers.stop_check)
        if any(nb.is_maybe(kind_of(kernel, value)) for value in starts):
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
            truth = self.decided(node.test) if WEAK in state else None
            top = top and node in self.full
            body, body_seen = self.block(
                node.body, state - ({WEAK} if truth is False else set()), top
            )
            orelse, orelse_seen = self.block(node.orelse, state - ({WEAK} if truth else set()), top)
            return body | orelse, body_seen | orelse_seen
        if isinstance(node, (ast.For, ast.While)):
            if isinstance(node, ast.For) and self.name in _names([node.target]):
                raise NotCompilable(f"'{self.name}', first a Python number, is a loop variable")
            self.reads(node.iter if isinstance(node, ast.For) else node.test, state)
            head = state
            for _ in range(4):
                end, seen = self.block(node.body, head, top and node in self.full)
                if isinstance(node, ast.While):
                    self.reads(node.test, end)
                jumps = any(isinstance(n, (ast.Break, ast.Continue)) for n in ast.walk(node))
                looped = state | end | (seen if jumps else frozenset())
                if looped == head:
                    break
                head = looped
            runs = isinstance(node, ast.For) and not jumps and self._runs(node, state)
            return (end if runs else head), seen
        if isinstance(node, (ast.Return, ast.Break, ast.Continue)):
            return frozenset(), state
        if isinstance(node, ast.Assign) and _names(node.targets) == [self.name]:
            value = node.value
            if isinstance(value, ast.Call) and self.shuffled(value, _name(value, self.name)):
                return self._exchanged(value, state), state
            self.reads(value, state)
            return self.assigned(node, state, top), state
        if isinstance(node, ast.AugAssign) and _names([node.target]) == [self.name]:
            if WEAK in state:
                self.weak_reads.add(node.target)
                if not self._same_operand(node.op, node.value):
                    self._refuse(node.target)
            if WIDE in state:
                self.weak_reads.add(node.target)
                if not same_numbers.wide_update(self.kernel, self.kind, node.op, node.value):
                    self._refuse_wide(node.target)
                self._weak_inside(node.value)
            self.reads(node.value, state)
            return frozenset({STRONG}) | (state & {WIDE}), state
        if self.name in _names(getattr(node, "targets", [getattr(node, "target", None)])):
            raise NotCompilable(f"'{self.name}', first a Python number, assigned in a tuple")
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                self.reads(target, state)
            self.reads(node.value, state, node)
            return state, state
        for child in ast.iter_child_nodes(node):
            self.reads(child, state)
        return state, state

    def _runs(self, loop: ast.For, state: frozenset) -> bool:
        """Whether `loop` runs at least once: by its numbers, by a run-time check already
        asked for, or by one asked for now where the variable may enter it as a Python number
        and this flow must run such loops."""
        if _runs(self.kernel, loop):
            return True
        check = start_numbers.stop_check(self.kernel, loop)
        if check is None:
            return False
        if check[0] in self.kernel.stops:
            return True
        if not (self.must_run and WEAK in state):
            return False
        self.stops[check[0]] = check[1]
        return True

    def _exchanged(self, call: ast.Call, state: frozenset) -> frozenset:
        """The state after `name = shuffle(..., name, ...)`: unchanged. A Python number is
        returned as it is (weak_reads.Reads.shuffled) and merged with itself, which keeps the
        very object; an array is shuffled into an array of its own type, whose numbers (a
        wide value's too) are some lane's numbers, as compiled code's are."""
        for argument in (call.args[0], call.args[2]):
            self.reads(argument, state)
        if state & {WEAK, WIDE}:
            self.weak_reads.add(call.args[1])
        return state - {UNSET}

    def assigned(self, node: ast.Assign, state: frozenset, top: bool) -> frozenset:
        if node in self.copied:  # another variable's value, maybe still its Python number
            value = self.copied[node][0] - {UNSET}
        elif nb.is_weak(kind_of(self.kernel, node.value)):
            value = frozenset({WEAK})
        else:
            value = frozenset({STRONG})
        return self.merged(value, state, top)

    def merged(self, value: frozenset, state: frozenset, top: bool) -> frozenset:
        """The state after assigning a value in `value` where the variable was in `state`."""
        if top:  # the kernel's own level: every lane's value is replaced
            return value
        # an all-true mask replaces the value whole; a partial one merges it (np.where): the
        # numpy-typed value stays numpy-typed, two Python numbers give an int64 array, and an
        # int64 array stays one
        merged = value | (state & {STRONG, WIDE})
        if WEAK in state and WEAK in value:
            if not same_numbers.wide_allowed(self.kind):
                raise NotCompilable(f"'{self.name}' set to Python numbers under different masks")
            merged |= {WIDE}
        return merged

    def reads(self, node: ast.AST | None, state: frozenset, statement=None) -> None:
        """Refuse a read of the variable, where it may hold its Python number, whose bits
        would differ from compiled code's; `statement` assigns `node`'s value."""
        if node is None or not state & {WEAK, WIDE}:
            return
        parents = {
            child: parent for parent in ast.walk(node) for child in ast.iter_child_nodes(parent)
        }
        for name in ast.walk(node):
            if isinstance(name, ast.Name) and name.id == self.name:
                self.weak_reads.add(name)
                parent = parents.get(name, statement)
                if WIDE in state and not same_numbers.wide_read(self.kernel, name, parent, parents):
                    self._refuse_wide(name)
                if WEAK not in state:
                    continue
                part = self.part(name, parents)
                if self.same(part, parents.get(part, statement), state):
                    continue
                checks = same_numbers.unknown_read(
                    self.kernel, self.kind, name, parents, self._weak_inside
                )
                if checks is None:
                    self._refuse(name)
                self.stops.update(checks)

    def _refuse_wide(self, node: ast.AST) -> None:
        raise NotCompilable(
            f"'{self.name}' set to Python numbers under different masks (an int64 array) where "
            f"line {getattr(node, 'lineno', '?')} reads it, giving other bits than its {self.kind}"
        )

    def _refuse(self, node: ast.AST) -> None:
        raise NotCompilable(
            f"'{self.name}' may still hold the Python number it started as where line "
            f"{getattr(node, 'lineno', '?')} reads it, giving other bits than its {self.kind}"
        )


def _name(call: ast.Call, name: str) -> ast.Name | None:
    """`call`'s second argument where it is the variable `name`."""
    second = call.args[1] if len(call.args) > 1 else None
    return second if is_name(second, name) else None


def _names(targets) -> list[str]:
    return [t.id for t in targets if isinstance(t, ast.Name)] + [
        e.id for t in targets if isinstance(t, ast.Tuple) for e in t.elts if isinstance(e, ast.Name)
    ]


def _runs(kernel, loop: ast.For) -> bool:
    """Whether `for _ in range(...)` with numbers known when compiling runs at least once."""
    call = loop.iter
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
        return False
    bounds = [number(kernel, argument) for argument in call.args]
    if call.func.id != "range" or not bounds or any(not isinstance(b, int) for b in bounds):
        return False
    return len(range(*bounds)) > 0
