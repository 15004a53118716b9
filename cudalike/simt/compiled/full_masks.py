"""Statements whose bodies run with every lane of the vector engine's chunk active.

The vector engine assigns a variable under a mask with `np.where`, except where the mask holds
every lane of the chunk (it is then `True`), where the new value replaces the old one whole: a
Python number assigned there stays a Python number, as at the kernel's top level. That is the
case in the body of an `if`, `for` or `while` reached with every lane active whose condition or
range is the same for every lane of the launch (numbers, scalar arguments, shapes and sizes,
`blockDim`, `gridDim` and variables assigned only such values in such places; not `blockIdx`,
since a chunk holds several blocks), in a kernel without `return` (a lane that left is
inactive), the loop having no `break` or `continue`. Hillis and Steele's scan sets `val = 0` at
the top of its `while offset < cuda.blockDim.x` loop: a Python 0 in every lane at each step,
never a 64-bit array. weak_starts.py follows a variable's Python number with this.
"""

from __future__ import annotations

import ast

from cudalike.simt import frontend
from cudalike.simt.compiled.numbers import NotCompilable
from cudalike.simt.compiled.start_numbers import number

_LAUNCH_GEOMETRY = ("blockDim.", "gridDim.", "warpsize")


def full_statements(kernel) -> set[ast.stmt]:
    """The `if`, `for` and `while` statements of the kernel whose bodies run with every lane
    of the chunk active."""
    everything = list(ast.walk(ast.Module(body=kernel.body, type_ignores=[])))
    if any(isinstance(node, ast.Return) for node in everything):
        return set()
    names = {n.id for n in everything if isinstance(n, ast.Name) and n.id in kernel.locals}
    while True:
        values: dict[str, list] = {}
        full: set[ast.stmt] = set()
        _walk(kernel, kernel.body, names, values, full)
        kept = {n for n in names if n in values and None not in values[n]}
        kept = {n for n in kept if all(_uniform(kernel, v, kept) for v in values[n])}
        if kept == names:
            return full
        names = kept


def _walk(kernel, statements: list, names: set, values: dict, full: set | None) -> None:
    """Record each name's assigned values (None where assigned otherwise than alone, under a
    mask that may leave lanes out) and, in `full`, the statements whose bodies run with every
    lane active; `full` is None where the mask may leave lanes out."""
    for statement in statements:
        targets = getattr(statement, "targets", [getattr(statement, "target", None)])
        single = len(targets) == 1 and isinstance(targets[0], ast.Name)
        if isinstance(statement, (ast.Assign, ast.AugAssign)) and single:
            values.setdefault(targets[0].id, []).append(
                statement.value if full is not None else None
            )
            continue
        for target in targets:
            for node in ast.walk(target) if target is not None else ():
                if isinstance(node, ast.Name):
                    values.setdefault(node.id, []).append(None)
        if not isinstance(statement, (ast.If, ast.For, ast.While)):
            continue
        inner = full if full is not None and _full(kernel, statement, names) else None
        if inner is not None:
            full.add(statement)
        _walk(kernel, statement.body, names, values, inner)
        _walk(kernel, statement.orelse, names, values, inner)


def _full(kernel, statement: ast.stmt, names: set) -> bool:
    if isinstance(statement, ast.If):
        return _uniform(kernel, statement.test, names)
    jumps = any(isinstance(n, (ast.Break, ast.Continue)) for n in ast.walk(statement))
    if jumps or statement.orelse:
        return False
    if isinstance(statement, ast.While):
        return _uniform(kernel, statement.test, names)
    call = statement.iter
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id == "range"
        and not call.keywords
        and all(_uniform(kernel, a, names) for a in call.args)
    )


def _uniform(kernel, node: ast.AST, names: set) -> bool:
    """Whether `node` has one value for every lane of the launch, given such `names`."""
    if number(kernel, node) is not None:
        return True
    if isinstance(node, ast.Name):
        return node.id in names or node.id in kernel.scalars
    if isinstance(node, ast.Attribute):
        if isinstance(node.value, ast.Name) and node.value.id in kernel.arrays:
            return node.attr in ("size", "ndim")
        try:
            meaning = kernel.resolve(node)
        except NotCompilable:
            return False
        return isinstance(meaning, frontend.Intrinsic) and meaning.path.startswith(_LAUNCH_GEOMETRY)
    if isinstance(node, ast.Subscript):
        value = node.value
        return (
            isinstance(value, ast.Attribute)
            and value.attr == "shape"
            and isinstance(value.value, ast.Name)
            and value.value.id in kernel.arrays
            and isinstance(node.slice, ast.Constant)
        )
    if isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp)):
        return all(_uniform(kernel, child, names) for child in ast.iter_child_nodes(node))
    return isinstance(node, (ast.operator, ast.unaryop, ast.cmpop, ast.boolop))
