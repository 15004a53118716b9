"""Which values the vector engine certainly holds as arrays of one number per lane.

numpy answers some operations differently for an array than for a single number: `min` and
`max` are numpy's loops for arrays and Python's for numbers, a complex product is fused in the
array loop and rounded for scalars, numpy's power loop treats a broadcast exponent apart, and
`x ** 2.0` of an array takes numpy's fast path. Compiled code writes numpy's array answer where
these tell it the operand is such an array, and checks or refuses elsewhere.
"""

from __future__ import annotations

import ast

import numpy as np

from cudalike.simt import frontend
from cudalike.simt.compiled import random_calls
from cudalike.simt.compiled.numbers import NotCompilable


def per_lane(kernel, node: ast.AST) -> bool:
    """Whether the vector engine certainly holds the value of `node` as an array of one number
    per lane: an element of a global or shared array at an index that differs between lanes,
    arithmetic on one, or a variable only ever assigned such values."""
    index_names = _names_assigned(kernel, lambda value, names: _lane_index(kernel, value, names))
    values = _names_assigned(
        kernel, lambda value, names: _lane_value(kernel, value, names, index_names)
    )
    return _lane_value(kernel, node, values, index_names)


def lane_array(kernel, node: ast.AST) -> bool:
    """Whether the vector engine certainly holds `node` as an array of one number per lane: a
    `per_lane` value, or arithmetic and math functions of the thread's index (threadIdx,
    cuda.grid and the lane id are arrays there) or of variables only ever assigned those."""
    if per_lane(kernel, node):
        return True
    names = _names_assigned(kernel, lambda value, known: _index_arithmetic(kernel, value, known))
    return _index_arithmetic(kernel, node, names)


def _index_arithmetic(kernel, node: ast.AST, names: set) -> bool:
    if isinstance(node, ast.BinOp):
        return any(_index_arithmetic(kernel, n, names) for n in (node.left, node.right))
    if isinstance(node, ast.UnaryOp) and not isinstance(node.op, ast.Not):
        return _index_arithmetic(kernel, node.operand, names)
    if isinstance(node, ast.Call) and not node.keywords and _elementwise(kernel, node.func):
        return any(_index_arithmetic(kernel, a, names) for a in node.args)
    if isinstance(node, ast.Name):
        return node.id in names
    if not isinstance(node, (ast.Attribute, ast.Call)):
        return False
    try:
        meaning = kernel.resolve(node.func if isinstance(node, ast.Call) else node)
    except NotCompilable:
        return False
    path = getattr(meaning, "path", "")
    return path.startswith("threadIdx.") or path in ("grid", "laneid")


def reads_lane_index(kernel, node: ast.AST) -> bool:
    """Whether `node` reads the thread's or the block's index (which the vector engine holds per
    lane, a chunk running several blocks) or a variable only assigned from them: the vector
    engine then computes it as an array of one number per lane too."""
    names = _names_assigned(kernel, lambda value, known: _lane_index(kernel, value, known, True))
    return _lane_index(kernel, node, names, True)


def _lane_value(kernel, node: ast.AST, names: set, index_names: set) -> bool:
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        array = kernel.arrays.get(node.value.id)
        return (
            array is not None
            and array.space != "local"
            and _lane_index(kernel, node.slice, index_names)
        )
    if isinstance(node, ast.BinOp):
        return any(_lane_value(kernel, n, names, index_names) for n in (node.left, node.right))
    if isinstance(node, ast.UnaryOp) and not isinstance(node.op, ast.Not):
        return _lane_value(kernel, node.operand, names, index_names)
    if isinstance(node, ast.Attribute) and node.attr in ("real", "imag"):  # a complex's parts
        return _lane_value(kernel, node.value, names, index_names)
    conjugate = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    if conjugate and node.func.attr == "conjugate" and not node.args:
        return _lane_value(kernel, node.func.value, names, index_names)
    if isinstance(node, ast.Compare) and len(node.ops) == 1:  # numpy compares lane by lane
        parts = (node.left, node.comparators[0])
        return any(_lane_value(kernel, n, names, index_names) for n in parts)
    if isinstance(node, ast.Call) and not node.keywords and _elementwise(kernel, node.func):
        return any(_lane_value(kernel, a, names, index_names) for a in node.args)
    if isinstance(node, ast.Call) and _draw(kernel, node.func):  # an array of every lane
        return True
    return isinstance(node, ast.Name) and node.id in names


def _draw(kernel, function: ast.AST) -> bool:
    try:
        return random_calls.is_draw(kernel.resolve(function))
    except NotCompilable:
        return False


def _elementwise(kernel, function: ast.AST) -> bool:
    """Whether the vector engine computes `function` of an array lane by lane, giving an
    array: math functions, casts to numpy types, min, max and abs."""
    try:
        meaning = kernel.resolve(function)
    except NotCompilable:
        return False
    if isinstance(meaning, frontend.Builtin):
        return meaning.name in ("min", "max", "abs", "complex")
    if not isinstance(meaning, frontend.Constant):
        return False
    value = meaning.value
    is_cast = isinstance(value, np.dtype) or (
        isinstance(value, type) and issubclass(value, np.generic)
    )
    return is_cast or getattr(value, "__module__", None) == "math"


def _lane_index(kernel, node: ast.AST, names: set, blocks: bool = False) -> bool:
    """Whether `node` reads the thread's index (threadIdx, cuda.grid, the lane id; with `blocks`
    blockIdx too) or a variable only ever assigned from it."""
    for part in ast.walk(node):
        if isinstance(part, ast.Name) and part.id in names:
            return True
        if isinstance(part, (ast.Attribute, ast.Call)):
            try:
                meaning = kernel.resolve(part.func if isinstance(part, ast.Call) else part)
            except NotCompilable:
                continue
            path = getattr(meaning, "path", "")
            if path.startswith("threadIdx.") or path in ("grid", "laneid"):
                return True
            if blocks and path.startswith("blockIdx."):
                return True
    return False


def _names_assigned(kernel, lanes) -> set:
    """The kernel's variables whose every assignment `lanes(value, candidates)` accepts; a name
    unpacked from a call reading the thread's index (`row, col = cuda.grid(2)`) is accepted."""
    names = set(kernel.locals)
    while True:
        kept = set(names)
        for node in ast.walk(kernel.parsed.tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    for name, value, unpacked in _unpacked(target, node.value):
                        grid = unpacked and _lane_index(kernel, value, set())
                        if not grid and not lanes(value, names):
                            kept.discard(name)
            elif isinstance(node, ast.For) and isinstance(node.target, ast.Name):
                kept.discard(node.target.id)
        if kept == names:
            return names
        names = kept


def _unpacked(target: ast.AST, value: ast.AST, unpacked: bool = False) -> list[tuple]:
    """(name, the value it is given, whether it is one element of a value unpacked whole) for
    each name `target` assigns: `a, r = x[i], 2.0` gives `a` x[i] and `r` 2.0."""
    if isinstance(target, ast.Name):
        return [(target.id, value, unpacked)]
    if not isinstance(target, ast.Tuple):
        return []
    if isinstance(value, ast.Tuple) and len(value.elts) == len(target.elts):
        pairs = zip(target.elts, value.elts, strict=True)
        return [entry for t, v in pairs for entry in _unpacked(t, v, unpacked)]
    return [entry for t in target.elts for entry in _unpacked(t, value, True)]
