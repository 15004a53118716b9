"""The order in which a segment visits the threads of a block: x fastest, or y fastest.

A kernel like `row, col = cuda.grid(2); out[row, col] = ...` maps the x coordinate to rows, so
threads in x order walk an array down its columns, one cache line and often one page per
thread. Running y fastest instead walks along rows. The order of threads within a segment
changes no result of a kernel the compiled tier runs, save for atomics whose order matters
(see atomics.ordered_atomics) and for races, which are undefined on a GPU and which the race
checks find in either order (they are symmetric). So the tier picks the order in which most
accesses to arrays of two or more dimensions walk their last, contiguous, axis.

The blocks run in the same order as the threads (`block_loop`): with y fastest, a kernel whose
x coordinate picks the row runs the blocks of one band of rows one after another, instead of
walking the array down strips a block wide. Block order is observable only through the same
two things, ordered atomics (excluded) and races, whose checks are symmetric between blocks
too, and through the loop budget, which codegen folds per chunk of the vector engine's order.
"""

from __future__ import annotations

import ast

from cudalike.simt import frontend
from cudalike.simt.compiled.numbers import NotCompilable

_AXES = {"threadIdx.x": "x", "threadIdx.y": "y"}
# The driver's loop over blocks; `blk` is the block's index in the vector engine's order
# (x fastest), which the race shadows and the global thread number `gth` use.
_BLOCKS_X_FASTEST = [
    "    for blk in range(blocks):",
    "        bx = blk % gdx",
    "        by = blk // gdx % gdy",
    "        bz = blk // (gdx * gdy)",
]
_BLOCKS_Y_FASTEST = [
    "    for run in range(blocks):",
    "        by = run % gdy",
    "        bx = run // gdy % gdx",
    "        bz = run // (gdx * gdy)",
    "        blk = (bz * gdy + by) * gdx + bx",
]


def y_fastest(kernel) -> bool:
    """Whether the kernel's segments should visit threads with y as the fastest coordinate."""
    if kernel.ordered_atomics:
        return False
    tree = ast.Module(body=kernel.body, type_ignores=[])
    depends: dict[str, set] = {}
    for _ in range(10):
        before = {name: set(axes) for name, axes in depends.items()}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                _assign(kernel, node.targets[0], node.value, depends)
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
                depends.setdefault(node.target.id, set()).update(_axes(kernel, node.value, depends))
        if depends == before:
            break
    score = 0
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.slice, ast.Tuple)
            and len(node.slice.elts) >= 2
        ):
            axes = _axes(kernel, node.slice.elts[-1], depends)
            score += ("y" in axes and "x" not in axes) - ("x" in axes and "y" not in axes)
    return score > 0


def block_loop(y_fastest: bool) -> list[str]:
    """The driver's lines opening the loop over blocks, in the order the threads run."""
    return list(_BLOCKS_Y_FASTEST if y_fastest else _BLOCKS_X_FASTEST)


def _assign(kernel, target: ast.expr, value: ast.expr, depends: dict) -> None:
    if isinstance(target, ast.Name):
        depends.setdefault(target.id, set()).update(_axes(kernel, value, depends))
    elif isinstance(target, ast.Tuple) and _is_grid(kernel, value):
        for element, axis in zip(target.elts, "xyz", strict=False):
            if isinstance(element, ast.Name):
                depends.setdefault(element.id, set()).add(axis)


def _axes(kernel, node: ast.expr, depends: dict) -> set:
    """The thread coordinates (x, y) an expression depends on."""
    found = set()
    for part in ast.walk(node):
        if isinstance(part, ast.Name):
            found |= depends.get(part.id, set())
        elif isinstance(part, ast.Attribute):
            meaning = _meaning(kernel, part)
            if isinstance(meaning, frontend.Intrinsic) and meaning.path in _AXES:
                found.add(_AXES[meaning.path])
        elif isinstance(part, ast.Call) and _is_grid(kernel, part):
            found.add("x")
    return found


def _is_grid(kernel, node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and _meaning(kernel, node.func) == frontend.Intrinsic("grid")


def _meaning(kernel, node: ast.AST):
    try:
        return kernel.resolve(node)
    except NotCompilable:  # a name the resolver refuses tells nothing about the order
        return None
