"""Device functions called as statements, written into the kernel where they are called.

`scan_in_shared(temp, tid)` passes a shared array and waits at barriers inside, which the
numba functions of device_functions.py (numbers in, a number out) cannot do. Such a call is
replaced by the function's body: each parameter becomes a variable of the kernel assigned from
its argument (`d1_tid = tid`), or, when the argument is a plain name the body never rebinds, the
caller's name itself (how an array reaches the body); each variable of the body gets the call's
prefix. The kernel then reads as if it said the body itself, which is what the vector engine
runs: Python's rules are kept (a parameter rebound inside never changes the caller's variable)
and every other name must mean the same object in the function's module and the kernel's.
"""

from __future__ import annotations

import ast
import copy
import inspect

from cudalike.simt import frontend
from cudalike.simt.compiled.flow import assigned_names, is_docstring, with_body
from cudalike.simt.compiled.numbers import NotCompilable

_DEPTH = 8  # nested inlined calls; deeper (or recursive) calls stay on the vector engine
_MISSING = object()


def inline_calls(parsed: frontend.ParsedFunction, resolver) -> frontend.ParsedFunction:
    """`parsed` with every device-function call statement replaced by the function's body."""
    counter = iter(range(1, 1 << 30))
    kernel_names = set(parsed.params) | assigned_names(parsed.tree.body)
    body = _expand(parsed.tree.body, resolver, kernel_names, counter, 0)
    return with_body(parsed, body)


def _expand(statements: list, resolver, kernel_names: set, counter, depth: int) -> list:
    out, changed = [], False
    for statement in statements:
        dispatcher = _device_call(statement, resolver)
        if dispatcher is not None:
            if depth >= _DEPTH:
                raise NotCompilable("device functions called more than 8 deep")
            body = _body_at_call(dispatcher, statement.value, resolver, kernel_names, counter)
            out += _expand(body, resolver, kernel_names, counter, depth + 1)
            changed = True
            continue
        for field in ("body", "orelse"):
            inner = getattr(statement, field, None)
            if inner:
                expanded = _expand(inner, resolver, kernel_names, counter, depth)
                if expanded is not inner:
                    statement = copy.copy(statement)
                    setattr(statement, field, expanded)
                    changed = True
        out.append(statement)
    return out if changed else statements


def _device_call(statement: ast.stmt, resolver):
    """The dispatcher of a device function the statement calls on its own, or None."""
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return None
    meaning = resolver.resolve(statement.value.func)
    return meaning.dispatcher if isinstance(meaning, frontend.DeviceFunction) else None


def _body_at_call(dispatcher, call: ast.Call, resolver, kernel_names: set, counter) -> list:
    """The function's statements as the kernel's, for this call."""
    parsed = dispatcher.parsed
    if call.keywords or any(isinstance(a, ast.Starred) for a in call.args):
        raise NotCompilable("a device function called with keywords or *arguments")
    if len(call.args) != len(parsed.params):
        raise NotCompilable(f"{parsed.name}() called with {len(call.args)} arguments")
    body = [s for s in parsed.tree.body if not is_docstring(s)]
    tree = ast.Module(body=body, type_ignores=[])
    if any(isinstance(n, (ast.Return, ast.FunctionDef, ast.Lambda)) for n in ast.walk(tree)):
        raise NotCompilable(f"{parsed.name}() returns or defines functions: not inlined")
    rebound = assigned_names(body)
    prefix = f"d{next(counter)}_"
    names = {name: prefix + name for name in rebound | set(parsed.params)}
    start = []
    for param, argument in zip(parsed.params, call.args, strict=True):
        if isinstance(argument, ast.Name) and param not in rebound:
            names[param] = argument.id  # an array, or a value the body only reads
        else:
            target = ast.Name(id=names[param], ctx=ast.Store())
            assign = ast.Assign(targets=[target], value=copy.deepcopy(argument))
            start.append(ast.fix_missing_locations(ast.copy_location(assign, call)))
    own = dict(dispatcher.py_func.__globals__) | _nonlocals(dispatcher.py_func)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in names:
            if node.id in kernel_names or own.get(node.id, _MISSING) is not resolver.namespace.get(
                node.id, _MISSING
            ):
                raise NotCompilable(f"the name {node.id} means something else in {parsed.name}()")
    renamed = [_Rename(names).visit(copy.deepcopy(s)) for s in body]
    return [*start, *renamed]


def _nonlocals(function) -> dict:
    return dict(inspect.getclosurevars(function).nonlocals)


class _Rename(ast.NodeTransformer):
    def __init__(self, names: dict):
        self.names = names

    def visit_Name(self, node: ast.Name) -> ast.Name:
        if node.id in self.names:
            return ast.copy_location(ast.Name(id=self.names[node.id], ctx=node.ctx), node)
        return node
