"""Segments that only some threads of a 1-D block enter visit only those threads.

A tree reduction's steps are `if tid < s: sdata[tid] += sdata[tid + s]` or, in Harris's first
kernel, `if tid % (2 * s) == 0: ...`, with `tid` the thread's x index and `s` the same for the
whole block. A segment made of one such `if` (no `else`) would test every thread of the block
at every step; in a 1-D block the threads that pass are exactly `range(0, min(nt, s))` or
`range(0, nt, 2 * s)`, so the segment's loop runs over that range and keeps the test. Threads
it skips would have found the test false and done nothing. In a 2-D or 3-D block, or with a
stride that is not positive, the loop covers every thread as usual.
"""

from __future__ import annotations

import ast

from cudalike.simt import frontend
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled import uniform
from cudalike.simt.compiled.flow import targets


def span(statements: list, kernel) -> tuple[str, str] | None:
    """("prefix" or "stride", the code of the block-uniform bound) for a segment guarded by
    such a test, or None."""
    if len(statements) != 1 or not isinstance(statements[0], ast.If) or statements[0].orelse:
        return None
    test = statements[0].test
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    left, right, op = test.left, test.comparators[0], test.ops[0]
    if isinstance(op, ast.Lt) and _thread_x(left, kernel):
        return _bound("prefix", right, kernel)
    if (
        isinstance(op, ast.Eq)
        and isinstance(right, ast.Constant)
        and right.value == 0
        and isinstance(left, ast.BinOp)
        and isinstance(left.op, ast.Mod)
        and _thread_x(left.left, kernel)
    ):
        return _bound("stride", left.right, kernel)
    return None


def loop_bounds(found: tuple[str, str], names: tuple[str, str, str], pad: str) -> list[str]:
    """Lines setting `names` (start, stop, step) of the segment's thread loop."""
    kind, bound = found
    low, high, step = names
    one_dimensional = "bdy * bdz == 1"
    if kind == "prefix":
        stop = f"min(nt, max(0, {bound})) if {one_dimensional} else nt"
        return [f"{pad}{low}, {step} = 0, 1", f"{pad}{high} = {stop}"]
    return [
        f"{pad}{low}, {high} = 0, nt",
        f"{pad}{step} = {bound} if {one_dimensional} and {bound} > 0 else 1",
    ]


def _bound(kind: str, node: ast.expr, kernel) -> tuple[str, str] | None:
    if not uniform._uniform(node, kernel, kernel.uniform):
        return None
    code, value_kind = kernel.expr(node)
    if not nb.is_integer(value_kind):  # a Python int or a 64-bit one: int() is exact
        return None
    return kind, f"int({code})"


def _thread_x(node: ast.expr, kernel) -> bool:
    """Whether `node` is `cuda.threadIdx.x`, or a name only ever assigned that, once."""
    if isinstance(node, ast.Attribute):
        return kernel.resolve(node) == frontend.Intrinsic("threadIdx.x")
    if not isinstance(node, ast.Name) or node.id in kernel.block_vars:
        return False
    written = [t for t in targets(kernel.body) if isinstance(t, ast.Name) and t.id == node.id]
    if len(written) != 1:
        return False
    tree = ast.Module(body=kernel.body, type_ignores=[])
    return any(
        isinstance(s, ast.Assign)
        and s.targets[0] is written[0]
        and isinstance(s.value, ast.Attribute)
        and kernel.resolve(s.value) == frontend.Intrinsic("threadIdx.x")
        for s in ast.walk(tree)
    )
