"""Local arrays every thread fills before any other use, whose written-flag checks can go.

With checks on, each element of a `cuda.local.array` carries a per-thread written flag, set by
every store and checked by every load, so a read of an element the thread never wrote is
reported as the vector engine reports it. A kernel that begins its use of a 1-D local array
with `for r in range(n): array[r] = value` (n its size) writes every element before any read,
so those flags could never fire and its accesses go unchecked (bounds still checked).
"""

from __future__ import annotations

import ast

from cudalike.simt import frontend
from cudalike.simt.compiled.expressions import ArrayRef
from cudalike.simt.compiled.numbers import NotCompilable


def filled_locals(kernel) -> set[str]:
    """Names of the kernel's local arrays filled first, when all of them are: mixing unchecked
    and checked local arrays in one kernel made Boehm's 2-D tiled SGEMM five times slower
    (measured, numba 0.68), where a kernel with only filled-first arrays (his 1-D tiled one)
    ran nearly three times faster."""
    arrays = [a for a in kernel.arrays.values() if a.space == "local"]
    if all(_filled_first(kernel, a) for a in arrays):
        return {a.name for a in arrays}
    return set()


def _filled_first(kernel, array: ArrayRef) -> bool:
    """Whether the kernel begins its use of a 1-D local array with a loop over all of it,
    `for r in range(n): array[r] = value` (no other use of the array in that loop, nothing
    leaving it): every element is then written before any read, so the written-flag checks
    can never fire."""
    if len(array.shape) != 1:
        return False
    for statement in kernel.body:
        uses = [n for n in ast.walk(statement) if isinstance(n, ast.Name) and n.id == array.name]
        if not uses:
            continue
        return len(uses) == 1 and _fills(kernel, statement, uses[0], array.shape[0])
    return False


def _fills(kernel, loop: ast.stmt, use: ast.Name, size: int) -> bool:
    if not (
        isinstance(loop, ast.For)
        and isinstance(loop.target, ast.Name)
        and not loop.orelse
        and isinstance(loop.iter, ast.Call)
        and kernel.resolve(loop.iter.func) == frontend.Builtin("range")
        and not loop.iter.keywords
    ):
        return False
    if any(
        isinstance(n, (ast.Break, ast.Continue, ast.Return)) for s in loop.body for n in ast.walk(s)
    ):
        return False
    try:
        bounds = [kernel._constant(a) for a in loop.iter.args]
    except NotCompilable:
        return False
    if bounds not in ([size], [0, size], [0, size, 1]):
        return False
    return any(
        isinstance(s, ast.Assign)
        and len(s.targets) == 1
        and isinstance(s.targets[0], ast.Subscript)
        and s.targets[0].value is use
        and isinstance(s.targets[0].slice, ast.Name)
        and s.targets[0].slice.id == loop.target.id
        for s in loop.body
    )
