"""What a kernel's AST says about its names: locals, parameters it may write, exits.

The lowering asks these before it emits code (which variables hold one value per lane,
which blocks need exit masks); the profiler counts locals with `local_names`.
"""

from __future__ import annotations

import ast

from cudalike.simt.frontend import ParsedFunction


def local_names(parsed: ParsedFunction) -> set[str]:
    """Parameters and local variables of a kernel or device function."""
    return set(parsed.params) | assigned_names(parsed.tree)


def assigned_names(tree: ast.FunctionDef) -> set[str]:
    """Every name the function assigns to."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def has_exit(statements: list[ast.stmt]) -> bool:
    """Do these statements hold a return, break or continue?"""
    return any(
        isinstance(n, (ast.Return, ast.Break, ast.Continue))
        for s in statements
        for n in ast.walk(s)
    )


def has_return(statements: list[ast.stmt]) -> bool:
    """Do these statements hold a return?"""
    return any(isinstance(n, ast.Return) for s in statements for n in ast.walk(s))


def written_params(tree: ast.FunctionDef, params: list[str]) -> set[str]:
    """Parameters that may be written: store targets, atomic targets, or passed to a function."""
    written = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store):
            root = _root_name(node)  # a[i], x[0][i] (a tuple's array), a[i].field
            if root is not None:
                written.add(root)
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Subscript):
            if isinstance(node.target.value, ast.Name):
                written.add(node.target.value.id)
        if isinstance(node, ast.Call):
            for argument in node.args:
                root = _root_name(argument)
                if root is not None:
                    written.add(root)
    return written & set(params)


def _root_name(node: ast.expr) -> str | None:
    """`a` for `a`, `a.real`, `a[i, :]`: the variable an argument passes on (or a view of)."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None
