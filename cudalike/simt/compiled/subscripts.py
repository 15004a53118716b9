"""Chained indexing of an array, `a[i][j]`, written as `a[i, j]`.

Tutorials often index 2-D arrays and tiles as `tile[ty][tx]`. On the vector engine `a[i]` of a
2-D array is a row and `[j]` its element: the element `a[i, j]` names, read or written. The
compiled tier indexes arrays with one subscript of as many integers as they have dimensions, so
the chain is joined into one before the kernel is translated. Only names that are arrays (array
arguments and the kernel's shared, local and constant arrays) are joined: `W[i][j]` of a global
tuple of tuples is not an array element. Any check the joined index fires hands the launch to
the vector engine, which reports what it always did.
"""

from __future__ import annotations

import ast

from cudalike.simt import frontend
from cudalike.simt.compiled.flow import with_body

_DECLARATIONS = {frontend.Intrinsic(p) for p in ("shared.array", "local.array", "const.array_like")}


def array_names(tree: ast.AST, resolver, arguments: set[str]) -> set[str]:
    """`arguments` (the names of array arguments) and the names the kernel assigns a shared,
    local or constant array."""
    return arguments | {
        node.targets[0].id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Call)
        and resolver.resolve(node.value.func) in _DECLARATIONS
    }


def join_chains(parsed: frontend.ParsedFunction, arrays: set[str]) -> frontend.ParsedFunction:
    """`parsed` with every `a[i][j]` (of one of `arrays`) written `a[i, j]`."""
    join = _Join(arrays)
    body = [join.visit(statement) for statement in parsed.tree.body]
    return with_body(parsed, body) if join.joined else parsed


class _Join(ast.NodeTransformer):
    def __init__(self, arrays: set[str]):
        self.arrays = arrays
        self.joined = False

    def visit_Subscript(self, node: ast.Subscript) -> ast.Subscript:
        self.generic_visit(node)  # inner chains first: a[i][j][k] is (a[i, j])[k]
        inner = node.value
        if not (
            isinstance(inner, ast.Subscript)
            and isinstance(inner.value, ast.Name)
            and inner.value.id in self.arrays
        ):
            return node
        parts = _parts(inner.slice) + _parts(node.slice)
        if any(isinstance(p, (ast.Slice, ast.Starred, ast.Tuple)) for p in parts):
            return node
        self.joined = True
        index = ast.Tuple(elts=parts, ctx=ast.Load())
        joined = ast.Subscript(value=inner.value, slice=index, ctx=node.ctx)
        return ast.fix_missing_locations(ast.copy_location(joined, node))


def _parts(index: ast.expr) -> list[ast.expr]:
    return list(index.elts) if isinstance(index, ast.Tuple) else [index]
