"""Local arrays every thread fills before any other use, whose written-flag checks can go.

With checks on, each element of a `cuda.local.array` carries a per-thread written flag, set by
every store and checked by every load, so a read of an element the thread never wrote is
reported as the vector engine reports it. An array whose first use is a fill, `for r in
range(n): array[r] = value` (n its size), or for a 2-D one `for i in range(n0): for j in
range(n1): array[i, j] = value`, has every element written before any read, so those flags
could never fire and its accesses go unchecked (bounds still checked). The fill may sit in a
loop's body (SGEMM's `for r in range(TM): reg_m[r] = sA[...]` at each step) when every use of
the array is in that body after it: each pass through the body fills before it reads.
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
    if all(_filled_first(kernel, kernel.body, a) for a in arrays):
        return {a.name for a in arrays}
    return set()


def _uses(node: ast.AST, name: str) -> list[ast.Name]:
    return [n for n in ast.walk(node) if isinstance(n, ast.Name) and n.id == name]


def _filled_first(kernel, statements: list, array: ArrayRef) -> bool:
    """Whether the first statement of `statements` that uses the array fills it, or holds every
    later use of the array in a body (of a loop, or of each branch of an `if` that uses it)
    where this holds in turn."""
    using = [s for s in statements if _uses(s, array.name)]
    if not using:
        return True
    first = using[0]
    if len(_uses(first, array.name)) == 1 and _fills(kernel, first, array, array.shape, []):
        return True
    if len(using) > 1:
        return False
    if isinstance(first, (ast.For, ast.While)):
        heads = [first.iter, first.target] if isinstance(first, ast.For) else [first.test]
        return not any(_uses(h, array.name) for h in heads + first.orelse) and _filled_first(
            kernel, first.body, array
        )
    if isinstance(first, ast.If):
        return (
            not _uses(first.test, array.name)
            and _filled_first(kernel, first.body, array)
            and _filled_first(kernel, first.orelse, array)
        )
    return False


def _fills(kernel, loop: ast.stmt, array: ArrayRef, shape: tuple, indices: list[str]) -> bool:
    """Whether `loop` runs over all of the array's axis len(indices) (a constant `range`, its
    variable never reassigned, nothing leaving it) and, in its body, either stores
    `array[indices..., variable] = value` or runs such a loop over the next axis."""
    if not (
        isinstance(loop, ast.For)
        and isinstance(loop.target, ast.Name)
        and not loop.orelse
        and isinstance(loop.iter, ast.Call)
        and kernel.resolve(loop.iter.func) == frontend.Builtin("range")
        and not loop.iter.keywords
    ):
        return False
    variable = loop.target.id
    inside = [n for s in loop.body for n in ast.walk(s)]
    if any(isinstance(n, (ast.Break, ast.Continue, ast.Return)) for n in inside):
        return False
    if any(
        isinstance(n, ast.Name) and n.id == variable and not isinstance(n.ctx, ast.Load)
        for n in inside
    ):
        return False
    try:
        bounds = [kernel._constant(a) for a in loop.iter.args]
    except NotCompilable:
        return False
    if bounds not in ([shape[0]], [0, shape[0]], [0, shape[0], 1]):
        return False
    indices = [*indices, variable]
    if len(shape) > 1:
        return any(_fills(kernel, s, array, shape[1:], indices) for s in loop.body)
    return any(
        isinstance(s, ast.Assign)
        and len(s.targets) == 1
        and isinstance(s.targets[0], ast.Subscript)
        and isinstance(s.targets[0].value, ast.Name)
        and s.targets[0].value.id == array.name
        and _index_names(s.targets[0].slice) == indices
        for s in loop.body
    )


def _index_names(index: ast.expr) -> list[str] | None:
    parts = index.elts if isinstance(index, ast.Tuple) else [index]
    if all(isinstance(p, ast.Name) for p in parts):
        return [p.id for p in parts]
    return None
