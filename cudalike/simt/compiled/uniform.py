"""Block-uniform variables: one value per block, kept in a scalar of the driver.

A variable whose every assignment is built only from constants, `blockIdx`, `blockDim`,
`gridDim`, array shapes and sizes, scalar arguments, loop variables of block-level loops and
other such variables, and made outside every thread-dependent `if` or loop (at the top of the
kernel, or in the body of a block-level statement, whose condition every live thread shares),
holds the same value in every thread of the block. It is what the vector engine computes as one
number for all lanes. The compiled tier keeps it in one scalar `u_<name>` instead of a
per-thread array: a condition built only from such values needs no agreement check at run
time, and a statement that only assigns one runs once per block rather than in a pass over
the block's threads. Its type (numbers.py) is the one the variable has anyway.
"""

from __future__ import annotations

import ast

import numpy as np

from cudalike.simt import frontend
from cudalike.simt.compiled import warps
from cudalike.simt.compiled.numbers import NotCompilable

_BLOCK_GEOMETRY = ("blockIdx.", "blockDim.", "gridDim.")


def uniform_names(kernel) -> set[str]:
    """The kernel's block-uniform local variables."""
    values: dict[str, list[ast.expr]] = {}
    thread_assigned: set[str] = set()
    _collect(kernel.body, kernel, True, values, thread_assigned)
    names = set(values) - thread_assigned - kernel.block_vars
    while True:
        kept = {n for n in names if all(_uniform(v, kernel, names) for v in values[n])}
        if kept == names:
            return names
        names = kept


def assigned_name(statement: ast.stmt, kernel) -> str | None:
    """The block-uniform variable `statement` assigns (it then runs once per block), or None."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
    elif isinstance(statement, ast.AugAssign):
        target = statement.target
    else:
        return None
    if isinstance(target, ast.Name) and target.id in kernel.uniform:
        return target.id
    return None


def reads(statements: list, name: str) -> bool:
    """Whether any of `statements` reads the variable `name`."""
    return any(
        isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
        for statement in statements
        for node in ast.walk(statement)
    )


def _collect(statements, kernel, block_level: bool, values: dict, thread_assigned: set) -> None:
    """Record each variable's assigned values; names assigned by threads on their own (under a
    thread-dependent condition or loop, by a tuple or a warp function) cannot be uniform."""
    for statement in statements:
        if isinstance(statement, (ast.Assign, ast.AugAssign)):
            targets = [statement.target] if isinstance(statement, ast.AugAssign) else []
            for target in getattr(statement, "targets", []):
                targets += target.elts if isinstance(target, ast.Tuple) else [target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            written = getattr(statement, "targets", [getattr(statement, "target", None)])
            single = len(written) == 1 and isinstance(written[0], ast.Name)  # not a[i] += ...
            if block_level and single and warps.warp_call(statement, kernel) is None:
                values.setdefault(names[0], []).append(statement.value)
            else:
                thread_assigned.update(names)
        elif isinstance(statement, (ast.For, ast.While, ast.If)):
            if isinstance(statement, ast.For) and isinstance(statement.target, ast.Name):
                if not (block_level and kernel.has_barrier(statement)):
                    thread_assigned.add(statement.target.id)
            inner = (
                block_level
                and kernel.has_barrier(statement)
                and not warps.warp_branch(statement, kernel)
            )
            _collect(statement.body, kernel, inner, values, thread_assigned)
            _collect(statement.orelse, kernel, inner, values, thread_assigned)


def is_uniform(node: ast.AST, kernel) -> bool:
    """Whether the expression has one value for the whole block (after `uniform_names`)."""
    return _uniform(node, kernel, kernel.uniform)


def _uniform(node: ast.AST, kernel, names: set) -> bool:
    """Whether the expression has one value for the whole block, given uniform `names`."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name):
        if node.id in names or node.id in kernel.scalars or node.id in kernel.block_vars:
            return True
        if node.id in kernel.locals or node.id in kernel.arrays:
            return False
        return _constant(kernel, node)
    if isinstance(node, ast.Attribute):
        if isinstance(node.value, ast.Name) and node.value.id in kernel.arrays:
            return node.attr in ("size", "ndim")
        meaning = _meaning(kernel, node)
        if isinstance(meaning, frontend.Intrinsic):
            return meaning.path.startswith(_BLOCK_GEOMETRY) or meaning.path == "warpsize"
        return _constant(kernel, node)
    if isinstance(node, ast.Subscript):
        value = node.value
        return (
            isinstance(value, ast.Attribute)
            and value.attr == "shape"
            and isinstance(value.value, ast.Name)
            and value.value.id in kernel.arrays
            and isinstance(node.slice, ast.Constant)
        )
    if isinstance(node, ast.Call):
        meaning = _meaning(kernel, node.func)
        callable_value = isinstance(meaning, frontend.Constant) and (
            isinstance(meaning.value, np.dtype) or callable(meaning.value)
        )
        known = (
            callable_value
            or isinstance(meaning, frontend.Builtin)
            or meaning == frontend.Intrinsic("gridsize")
        )
        return known and not node.keywords and all(_uniform(a, kernel, names) for a in node.args)
    if isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp, ast.IfExp)):
        return all(_uniform(child, kernel, names) for child in ast.iter_child_nodes(node))
    return isinstance(node, (ast.operator, ast.unaryop, ast.cmpop, ast.boolop))


def _meaning(kernel, node: ast.AST):
    try:
        return kernel.resolve(node)
    except NotCompilable:  # a name the resolver refuses is simply not uniform
        return None


def _constant(kernel, node: ast.AST) -> bool:
    meaning = _meaning(kernel, node)
    return isinstance(meaning, frontend.Constant) and not callable(meaning.value)
