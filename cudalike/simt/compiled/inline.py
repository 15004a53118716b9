"""Device functions called as statements, written into the kernel where they are called.

`scan_in_shared(temp, tid)` passes a shared array and waits at barriers inside, which the
numba functions of device_functions.py (numbers in, a number out) cannot do. Such a call is
replaced by the function's body: each parameter becomes a variable of the kernel assigned from
its argument (`d1_tid = tid`), or, when the argument is a plain name the body never rebinds, the
caller's name itself (how an array reaches the body); each variable of the body gets the call's
prefix. The kernel then reads as if it said the body itself, which is what the vector engine
runs: Python's rules are kept (a parameter rebound inside never changes the caller's variable)
and every other name must mean the same object in the function's module and the kernel's.

A call handed an array whose value is assigned whole (`n = count_neighbours(grid, i, j)`,
`out[i] = get3(a, i)`, `lo, hi = bounds(a, i)`) is written in the same way when every path of
the function returns a value: where its one `return` is its last statement, the body, then the
assignment of the returned expression, which the vector engine gives as it is; otherwise its
returns become assignments to variables the caller then reads (inline_returns.py), as do the
returns of a function called as a statement. Such a call inside an assignment's value
(`s += f(a, i)`) is first moved into a variable of its own when the function stores nothing
(`_hoist_calls`). Calls of numbers only are left to device_functions.py.
"""

from __future__ import annotations

import ast
import copy
import inspect

from cudalike.simt import frontend
from cudalike.simt.compiled import inline_returns
from cudalike.simt.compiled.flow import assigned_names, is_docstring, with_body
from cudalike.simt.compiled.numbers import NotCompilable

_DEPTH = 8  # nested inlined calls; deeper (or recursive) calls stay on the vector engine
_MISSING = object()


def inline_calls(
    parsed: frontend.ParsedFunction, resolver, arrays: set[str]
) -> frontend.ParsedFunction:
    """`parsed` with every device-function call statement, and every call handed one of the
    `arrays` (names) whose value is assigned whole, replaced by the function's body."""
    counter = iter(range(1, 1 << 30))
    kernel_names = set(parsed.params) | assigned_names(parsed.tree.body)
    body = _expand(parsed.tree.body, resolver, (kernel_names, arrays), counter, 0)
    return with_body(parsed, body)


def _expand(statements: list, resolver, names: tuple, counter, depth: int) -> list:
    out, changed = [], False
    for statement in statements:
        hoisted = _hoist_calls(statement, resolver, names[1], counter)
        if hoisted is not None:
            out += _expand(hoisted, resolver, names, counter, depth)
            changed = True
            continue
        dispatcher = _device_call(statement, resolver, names[1])
        if dispatcher is not None:
            if depth >= _DEPTH:
                raise NotCompilable("device functions called more than 8 deep")
            body = _body_at_call(dispatcher, statement, resolver, names[0], counter)
            out += _expand(body, resolver, names, counter, depth + 1)
            changed = True
            continue
        for field in ("body", "orelse"):
            inner = getattr(statement, field, None)
            if inner:
                expanded = _expand(inner, resolver, names, counter, depth)
                if expanded is not inner:
                    statement = copy.copy(statement)
                    setattr(statement, field, expanded)
                    changed = True
        out.append(statement)
    return out if changed else statements


def _device_call(statement: ast.stmt, resolver, arrays: set[str]):
    """The dispatcher of a device function the statement calls on its own, or whose value it
    assigns whole when handed one of `arrays`; None for any other statement."""
    call = statement.value if isinstance(statement, (ast.Expr, ast.Assign)) else None
    if not isinstance(call, ast.Call):
        return None
    if isinstance(statement, ast.Assign) and not (
        len(statement.targets) == 1
        and _whole_target(statement.targets[0])
        and any(isinstance(a, ast.Name) and a.id in arrays for a in call.args)
    ):
        return None
    meaning = resolver.resolve(call.func)
    return meaning.dispatcher if isinstance(meaning, frontend.DeviceFunction) else None


def _whole_target(target: ast.expr) -> bool:
    """A name, an array element, or a tuple of names (`lo, hi = bounds(a, i)`)."""
    if isinstance(target, ast.Tuple):
        return all(isinstance(element, ast.Name) for element in target.elts)
    return isinstance(target, (ast.Name, ast.Subscript))


def _hoist_calls(statement: ast.stmt, resolver, arrays: set[str], counter) -> list | None:
    """`d<n>_value = f(a, i)` for each call inside an assignment's value (`s += f(a, i)`,
    `out[i] = 2 * f(a, i)`) handed one of `arrays`, then the statement reading `d<n>_value`;
    None when there is none. Only functions that store nothing and call no cuda intrinsic are
    moved (their value is the same whenever they run), and only calls the statement always
    makes: not past the first operand of `and`/`or`, a chained comparison's second one, or in
    a branch of `x if c else y`."""
    if not isinstance(statement, (ast.Assign, ast.AugAssign)):
        return None
    if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
        return None  # the whole value: written at the call by _body_at_call
    calls = [
        node
        for node in _always_evaluated(statement.value)
        if _array_call(node, resolver, arrays) and _stores_nothing(node, resolver, 0)
    ]
    if not calls:
        return None
    hoisted, replaced = [], {}
    for call in calls:
        name = f"d{next(counter)}_value"
        assign = ast.Assign(targets=[ast.Name(id=name, ctx=ast.Store())], value=call)
        hoisted.append(ast.fix_missing_locations(ast.copy_location(assign, statement)))
        replaced[id(call)] = name
    statement = copy.copy(statement)
    statement.value = _Replace(replaced).visit(statement.value)
    return [*hoisted, statement]


def _always_evaluated(node: ast.AST):
    """The calls of an expression that every evaluation of it makes (outermost only)."""
    if isinstance(node, ast.Call):
        yield node
        return
    if isinstance(node, ast.BoolOp):
        children = node.values[:1]
    elif isinstance(node, ast.IfExp):
        children = [node.test]
    elif isinstance(node, ast.Compare):
        children = [node.left, node.comparators[0]]
    elif isinstance(node, (ast.Lambda, ast.comprehension, ast.NamedExpr)):
        children = []
    else:
        children = list(ast.iter_child_nodes(node))
    for child in children:
        yield from _always_evaluated(child)


def _array_call(node: ast.AST, resolver, arrays: set[str]) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(resolver.resolve(node.func), frontend.DeviceFunction)
        and any(isinstance(a, ast.Name) and a.id in arrays for a in node.args)
    )


def _stores_nothing(call: ast.Call, resolver, depth: int) -> bool:
    """Whether the device function `call` calls stores to no array and calls nothing but
    builtins, math functions, casts and such device functions."""
    if depth >= _DEPTH:
        return False
    dispatcher = resolver.resolve(call.func).dispatcher
    own = frontend.Resolver(dispatcher.py_func, dispatcher.parsed)
    for node in ast.walk(dispatcher.parsed.tree):
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
            return False
        if isinstance(node, ast.Call):
            meaning = own.resolve(node.func)
            if isinstance(meaning, frontend.DeviceFunction):
                if not _stores_nothing(node, own, depth + 1):
                    return False
            elif not isinstance(meaning, (frontend.Builtin, frontend.Constant)):
                return False
    return True


class _Replace(ast.NodeTransformer):
    """Replaces the calls named by their id with the names they were hoisted to."""

    def __init__(self, names: dict):
        self.names = names

    def visit_Call(self, node: ast.Call) -> ast.AST:
        if id(node) in self.names:
            return ast.copy_location(ast.Name(id=self.names[id(node)], ctx=ast.Load()), node)
        return self.generic_visit(node)


def _body_at_call(dispatcher, statement: ast.stmt, resolver, kernel_names: set, counter) -> list:
    """The function's statements as the kernel's, for this call; a call whose value is
    assigned ends with the assignment of the returned value (see inline_returns.py for
    functions that return before their last statement)."""
    parsed, call = dispatcher.parsed, statement.value
    if call.keywords or any(isinstance(a, ast.Starred) for a in call.args):
        raise NotCompilable("a device function called with keywords or *arguments")
    if len(call.args) != len(parsed.params):
        raise NotCompilable(f"{parsed.name}() called with {len(call.args)} arguments")
    body = [s for s in parsed.tree.body if not is_docstring(s)]
    tree = ast.Module(body=body, type_ignores=[])
    if any(isinstance(n, (ast.FunctionDef, ast.Lambda)) for n in ast.walk(tree)):
        raise NotCompilable(f"{parsed.name}() defines functions: not inlined")
    target = statement.targets[0] if isinstance(statement, ast.Assign) else None
    width = _width(parsed.name, body, target)
    rebound = assigned_names(body)
    prefix = f"d{next(counter)}_"
    names = {name: prefix + name for name in rebound | set(parsed.params)}
    start = []
    for param, argument in zip(parsed.params, call.args, strict=True):
        if isinstance(argument, ast.Name) and param not in rebound:
            names[param] = argument.id  # an array, or a value the body only reads
        else:
            target_name = ast.Name(id=names[param], ctx=ast.Store())
            assign = ast.Assign(targets=[target_name], value=copy.deepcopy(argument))
            start.append(ast.fix_missing_locations(ast.copy_location(assign, call)))
    own = dict(dispatcher.py_func.__globals__) | _nonlocals(dispatcher.py_func)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in names:
            if node.id in kernel_names or own.get(node.id, _MISSING) is not resolver.namespace.get(
                node.id, _MISSING
            ):
                raise NotCompilable(f"the name {node.id} means something else in {parsed.name}()")
    renamed = [_Rename(names).visit(copy.deepcopy(s)) for s in body]
    if not inline_returns.has_return(renamed):
        return [*start, *renamed]
    if target is not None and len(inline_returns.returned_values(renamed)) == 1:
        value = renamed.pop().value  # the one return ends the body (_width)
        return [*start, *renamed, _assigned(statement, target, value)]
    lowered, results = inline_returns.lowered(renamed, f"d{next(counter)}_", width, call)
    if target is None:
        return [*start, *lowered]
    loads = [ast.Name(id=name, ctx=ast.Load()) for name in results]
    if width is None:
        return [*start, *lowered, _assigned(statement, target, loads[0])]
    # element by element: each name then follows its own value variable as a copy of it
    pairs = zip(target.elts, loads, strict=True)
    return [*start, *lowered, *(_assigned(statement, name, load) for name, load in pairs)]


def _width(name: str, body: list, target: ast.expr | None) -> int | None:
    """How many values the call's returns give: None for one value, the length of a tuple
    (every return the same), 0 for bare returns in a call made as a statement."""
    values = inline_returns.returned_values(body)
    if target is None:
        if all(value is None for value in values):
            return 0
        lengths = {len(v.elts) if isinstance(v, ast.Tuple) else None for v in values}
        if len(lengths) != 1:
            raise NotCompilable(f"{name}() returns values of several shapes")
        return lengths.pop()
    if not inline_returns.always_returns(body) or any(value is None for value in values):
        raise NotCompilable(f"{name}() does not return a value on every path")
    return len(target.elts) if isinstance(target, ast.Tuple) else None


def _assigned(statement: ast.Assign, target: ast.expr, value: ast.expr) -> ast.Assign:
    assign = ast.Assign(targets=[copy.deepcopy(target)], value=value)
    return ast.fix_missing_locations(ast.copy_location(assign, statement))


def _nonlocals(function) -> dict:
    return dict(inspect.getclosurevars(function).nonlocals)


class _Rename(ast.NodeTransformer):
    def __init__(self, names: dict):
        self.names = names

    def visit_Name(self, node: ast.Name) -> ast.Name:
        if node.id in self.names:
            return ast.copy_location(ast.Name(id=self.names[node.id], ctx=node.ctx), node)
        return node
