"""Counted `while` loops: `while i < limit: ...; i += step` whose iterations are known when
it starts, as in grid-stride loops (`i += cuda.gridsize(1)`). The jammed-loop writer (jam.py)
runs such a loop as `range(iterations)` for several threads at once; runtime.while_trips counts
them, and hands the launch back when the loop would not end or its counter would wrap.
"""

from __future__ import annotations

import ast

from cudalike.simt import frontend
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.numbers import NotCompilable


def counted_while(loop: ast.stmt, kernel) -> bool:
    """Whether `loop` is `while i < limit: ...; i += step` counting 64-bit integers, with `i`
    assigned only by that last statement and `limit` and `step` the same at every iteration
    (names the body does not assign, array sizes and shapes, launch dimensions): its
    iterations are then known when it starts (runtime.while_trips)."""
    if not (
        isinstance(loop, ast.While)
        and not loop.orelse
        and isinstance(loop.test, ast.Compare)
        and len(loop.test.ops) == 1
        and isinstance(loop.test.ops[0], ast.Lt)
        and isinstance(loop.test.left, ast.Name)
        and loop.body
    ):
        return False
    counter, limit, last = loop.test.left.id, loop.test.comparators[0], loop.body[-1]
    if not (
        isinstance(last, ast.AugAssign)
        and isinstance(last.op, ast.Add)
        and isinstance(last.target, ast.Name)
        and last.target.id == counter
    ):
        return False
    stored = {
        n.id
        for s in loop.body[:-1]
        for n in ast.walk(s)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }
    invariant = all(_invariant(node, stored, kernel) for node in (limit, last.value))
    if counter in stored or not invariant:
        return False
    try:
        kinds = [kernel.variable(counter)[1], kernel.expr(limit)[1], kernel.expr(last.value)[1]]
    except NotCompilable:
        return False
    return all(_exact_int64(kind) for kind in kinds)


def _invariant(node: ast.expr, stored: set, kernel) -> bool:
    """Whether `node` reads only numbers, names not in `stored`, attributes (`a.size`,
    `cuda.blockDim.x`), shapes and `cuda.gridsize(1)`, combined by arithmetic: the same at
    every iteration."""
    for part in ast.walk(node):
        if isinstance(part, ast.Name) and part.id in stored:
            return False
        if isinstance(part, ast.Call):
            if kernel.resolve(part.func) != frontend.Intrinsic("gridsize") or part.keywords:
                return False
            continue
        if isinstance(part, ast.Subscript) and not (
            isinstance(part.value, ast.Attribute) and part.value.attr == "shape"
        ):
            return False
        if not isinstance(part, _INVARIANT_NODES):
            return False
    return True


_INVARIANT_NODES = (
    ast.Call,
    ast.Name,
    ast.Constant,
    ast.Attribute,
    ast.Subscript,
    ast.BinOp,
    ast.UnaryOp,
    ast.Load,
    ast.operator,
    ast.unaryop,
)


def _exact_int64(kind) -> bool:
    """An integer type whose every value int64 holds."""
    return nb.is_integer(kind) and (nb.storage(kind).kind == "i" or nb.storage(kind).itemsize < 8)
