"""A narrow integer variable that starts as a Python int its type does not hold: `prev_bin = -1`,
later `prev_bin = b` with `b` uint8 (PMPP's aggregated histogram).

On the vector engine the variable holds the Python int -1 until some lane of the chunk assigns
it a uint8 value; an assignment under a partial mask then merges (np.where) the uint8 values
with the Python int, which numpy converts to uint8 by wrapping, so the lanes not assigned hold
255, not -1. -1 assigned again under a mask merges as 255 into a uint8 array, and as -1 into
an int64 one (a Python int merged with another); uint8 values merge into an int64 array as they
are. So each lane holds the uint8 number it was last assigned, or -1 or 255 where it was last
assigned the start (or never assigned). Compiled code keeps the exact number in int64
(numbers.NarrowOrStart): the last uint8 number, or -1. Two reads give the same answer on both
tiers, with a run-time check (`rt.fits`, the launch handed back where it fails; the kernel's
`stops`):
- an index, or an atomic's index, names the same element where the number lies in the narrow
  type's range, which the start does not: the thread's last assignment was a uint8 number,
  which the vector engine holds too;
- `x == variable` or `!=`, with `x` of the narrow type itself, compares exactly on both tiers
  (numpy compares a uint8 with a Python int or an int64 array exactly): the start is no value
  of that type, so both find it unequal, and a lane holding the wrapped start (255) is unequal
  too where `x` is checked never to be that value.
Any other read (arithmetic, a store, an ordering comparison, a condition, a call) leaves the
variable typed as before, where weak_starts.py judges it. Only one start number is followed,
and every other assignment must give a value of the narrow type itself.
"""

from __future__ import annotations

import ast

import numpy as np

from cudalike.simt.compiled import atomics
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.numbers import NotCompilable
from cudalike.simt.compiled.same_numbers import indexes
from cudalike.simt.compiled.start_numbers import holds, kind_of, number

_EQUALITY = (ast.Eq, ast.NotEq)


def retype(kernel) -> None:
    """Give each variable whose start and reads fit the module's docstring the type
    numbers.NarrowOrStart, and ask for the run-time checks its reads need."""
    tree = ast.Module(body=kernel.body, type_ignores=[])
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for name, kind in list(kernel.types.items()):
        if not (isinstance(kind, np.dtype) and kind.kind in "iu" and kind.itemsize <= 4):
            continue
        start = _start(kernel, tree, name, kind)
        if start is None:
            continue
        checks = _read_checks(kernel, tree, parents, name, kind, start)
        if checks is not None:
            kernel.types[name] = nb.NarrowOrStart(kind, start)
            kernel.stops.update(checks)


def _start(kernel, tree: ast.Module, name: str, kind: np.dtype) -> int | None:
    """The one Python int `name` starts as, which `kind` does not hold, where every assignment
    is either that number or a value of `kind`; else None."""
    starts = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.AugAssign, ast.For)) and name in _names(node):
            return None
        if isinstance(node, ast.Assign) and name in _names(node):
            if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
                return None
            value_kind = kind_of(kernel, node.value)
            if value_kind == kind:
                continue
            known = number(kernel, node.value)
            if value_kind != nb.WEAK_INT or not isinstance(known, int):
                return None
            starts.add(known)
    if len(starts) != 1:
        return None
    start = starts.pop()
    if holds(kind, start) or not -(2**63) <= start < 2**63:
        return None  # a held start is weak_starts.py's; numpy refuses a wider one
    return start


def _read_checks(kernel, tree, parents, name: str, kind: np.dtype, start: int) -> dict | None:
    """The run-time checks (node -> its bounds' code) under which every read of `name` gives
    the vector engine's answer, or None where some read would not."""
    info = np.iinfo(kind)
    low, high = int(info.min), int(info.max)
    wrapped = int(np.array(start, np.int64).astype(kind))
    if wrapped == high:
        others = (low, high - 1)
    elif wrapped == low:
        others = (low + 1, high)
    else:
        others = None
    checks = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Name) and node.id == name):
            continue
        if isinstance(node.ctx, ast.Store):
            continue
        parent = parents.get(node)
        if indexes(node, parent, parents) or _atomic_index(kernel, node, parent):
            checks[node] = _bounds(low, high)
            continue
        other = _compared_with(parent, node)
        if other is None or others is None or kind_of(kernel, other) != kind:
            return None
        if other in kernel.stops or any(_reads(n, name) for n in ast.walk(other)):
            return None
        checks[other] = _bounds(*others)
    return checks


def _atomic_index(kernel, node: ast.Name, parent) -> bool:
    if not isinstance(parent, ast.Call) or len(parent.args) < 2 or parent.args[1] is not node:
        return False
    try:
        meaning = kernel.resolve(parent.func)
    except NotCompilable:
        return False
    path = getattr(meaning, "path", "")
    return atomics.is_atomic(meaning) and path != "atomic.compare_and_swap"


def _compared_with(parent, node: ast.Name) -> ast.expr | None:
    """The other side of `x == node` or `node != x`, or None."""
    if not isinstance(parent, ast.Compare) or len(parent.ops) != 1:
        return None
    if not isinstance(parent.ops[0], _EQUALITY):
        return None
    return parent.comparators[0] if parent.left is node else parent.left


def _bounds(low: int, high: int):
    return lambda: f"{low}, {high}"


def _reads(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _names(node: ast.AST) -> set[str]:
    """The variables an assignment or a loop binds (not those in a subscript it stores to)."""
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    parts = [e for t in targets for e in (t.elts if isinstance(t, ast.Tuple) else [t])]
    return {part.id for part in parts if isinstance(part, ast.Name)}
