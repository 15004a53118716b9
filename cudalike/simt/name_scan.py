"""What a kernel's AST says about its names: locals, parameters it may write, exits.

The lowering asks these before it emits code (which variables hold one value per lane,
which blocks need exit masks); the profiler counts locals with `local_names`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

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


def written_params(
    tree: ast.FunctionDef,
    params: list[str],
    arguments_written: Callable[[ast.Call], list[ast.expr]] = lambda call: call.args,
) -> set[str]:
    """Parameters that may be written: store targets, or arguments of a call that may write
    them (`arguments_written`: all of them unless the caller knows better, e.g. none for a
    math function, the array alone for an atomic), directly or through another name for them
    (`b = a`, `row = a[i]`, `t = (a, b)`)."""
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
            for argument in arguments_written(node):
                root = _root_name(argument)
                if root is not None:
                    written.add(root)
    return _through_aliases(written, _aliases(tree)) & set(params)


def _aliases(tree: ast.FunctionDef) -> dict[str, set[str]]:
    """For each name the function binds, the names whose arrays it may hold (or a view of)."""
    aliases: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            pairs = [(target, node.value) for target in node.targets]
        elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
            pairs = [(node.target, node.value)]
        elif isinstance(node, ast.For):  # `for row in a:` binds rows of a
            pairs = [(node.target, node.iter)]
        else:
            continue
        for target, value in pairs:
            sources = _mentioned_roots(value)
            for name in _bound_names(target):
                aliases.setdefault(name, set()).update(sources)
    return aliases


def _through_aliases(names: set[str], aliases: dict[str, set[str]]) -> set[str]:
    """`names` with every name any of them may hold the array of, followed to the end."""
    found, pending = set(names), list(names)
    while pending:
        for source in aliases.get(pending.pop(), ()):
            if source not in found:
                found.add(source)
                pending.append(source)
    return found


def _mentioned_roots(value: ast.expr) -> set[str]:
    """Names whose array `value` may evaluate to: roots of names, views, tuples, choices."""
    if isinstance(value, (ast.Tuple, ast.List)):
        return set().union(*(_mentioned_roots(e) for e in value.elts))
    if isinstance(value, ast.IfExp):
        return _mentioned_roots(value.body) | _mentioned_roots(value.orelse)
    if isinstance(value, ast.BoolOp):
        return set().union(*(_mentioned_roots(v) for v in value.values))
    if isinstance(value, (ast.Starred, ast.NamedExpr)):
        return _mentioned_roots(value.value)
    root = _root_name(value)
    return set() if root is None else {root}


def _bound_names(target: ast.expr) -> list[str]:
    """The names an assignment target binds (`x`, `x, (y, *z)`); none for `a[i]` or `a.f`."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _bound_names(element)]
    if isinstance(target, ast.Starred):
        return _bound_names(target.value)
    return []


def _root_name(node: ast.expr) -> str | None:
    """`a` for `a`, `a.real`, `a[i, :]`: the variable an argument passes on (or a view of)."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def lane_run_names(tree: ast.FunctionDef) -> set[str]:
    """Names bound once, by a statement at the top of the function, to `grid(1)` (the caller
    checks that it is cuda.grid) and only used as a whole index (`a[i]`) or as a side of a
    one-operator ordering comparison that an `if` tests (alone or in `and`/`or`): the engine
    may keep these as a run of lane numbers (see lane_runs)."""
    candidates = {
        statement.targets[0].id
        for statement in tree.body
        if isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and _is_grid_1(statement.value)
    }
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    stores: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in candidates:
            if not isinstance(node.ctx, ast.Load):
                stores[node.id] = stores.get(node.id, 0) + 1
            elif not _run_use(node, parents):
                candidates.discard(node.id)
    return {name for name in candidates if stores.get(name) == 1}


def _is_grid_1(value: ast.expr) -> bool:
    if not isinstance(value, ast.Call) or value.keywords or len(value.args) != 1:
        return False
    function = value.func
    named = isinstance(function, ast.Attribute) and function.attr == "grid"
    named = named or (isinstance(function, ast.Name) and function.id == "grid")
    argument = value.args[0]
    return (
        named
        and isinstance(argument, ast.Constant)
        and type(argument.value) is int
        and argument.value == 1
    )


_ORDERINGS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


def _run_use(name: ast.Name, parents: dict) -> bool:
    """Is this read of a name an index `a[i]` or a side of an ordering an `if` tests?"""
    parent = parents.get(name)
    if isinstance(parent, ast.Subscript) and parent.slice is name:
        shape = isinstance(parent.value, ast.Attribute) and parent.value.attr in (
            "shape",
            "strides",
        )
        return not shape
    if not (
        isinstance(parent, ast.Compare)
        and len(parent.ops) == 1
        and isinstance(parent.ops[0], _ORDERINGS)
    ):
        return False
    node, above = parent, parents.get(parent)
    while isinstance(above, ast.BoolOp):
        node, above = above, parents.get(above)
    return isinstance(above, ast.If) and above.test is node
