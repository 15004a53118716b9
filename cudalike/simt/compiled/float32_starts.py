"""Variables that start at a float32 number and are then assigned float64 values (`total =
float32(0)`, then `total += payoff` of a float64 payoff), which compiled code holds in float64
from the start.

On the vector engine such a variable is float32 until some lane of the chunk assigns it a
float64 value, and float64 from then on (numpy promotes it, merged lanes included); numba types
it float64 throughout. Compiled code holds the start, a number float32 holds exactly, as the
same float64 number, which gives the vector engine's bits wherever a read gives one result
from a float32 and a float64 of one value: `+ - * /` with a float64 operand (numpy converts the
float32 to float64 exactly first), a comparison with a numpy value, a store to an array. So
every read of the variable must be one of those, whether or not it may still see the start,
and every other assignment must give float64 (`total += x` of a float32 x keeps it float32).
"""

from __future__ import annotations

import ast

import numpy as np

from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.numbers import NotCompilable
from cudalike.simt.compiled.start_numbers import cast, kind_of, number

_FLOAT64_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div)


def candidates(kernel) -> set[str]:
    """Variables some `name = float32(number)` assigns: those whose float32 and float64
    assignments the type sweep may widen to float64 (`check` then judges them)."""
    return {
        node.targets[0].id
        for node in _nodes(kernel)
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and _is_start(kernel, node.value)
    }


def check(kernel, names: set[str]) -> None:
    """Refuse a widened variable (of `names`, now float64) assigned or read where its float32
    start and float64 would give other bits, unless it is certainly float64 there already
    (`_widened_before`: `ux /= rho` after a loop of nine `ux += ...` of float64 values)."""
    widened = {name for name in names if kernel.types.get(name) == nb.FLOAT64}
    if not widened:
        return
    parents = {child: parent for parent in _nodes(kernel) for child in ast.iter_child_nodes(parent)}
    for statement, chain in _statements_with_chains(kernel.body):
        for node in _own_nodes(statement):
            if not (isinstance(node, ast.Name) and node.id in widened):
                continue
            parent = parents.get(node)
            if isinstance(node.ctx, ast.Load):
                alike, verb = _read_alike(kernel, node, parent), "reads"
            else:
                alike, verb = _assigned_float64(kernel, node, parent), "assigns"
            if not alike and not _widened_before(kernel, node.id, chain):
                raise NotCompilable(_reason(node, verb))


def _reason(node: ast.Name, verb: str) -> str:
    return (
        f"'{node.id}' starts as float32 and is then float64: line {node.lineno} {verb} it where "
        "the two differ"
    )


def _nodes(kernel):
    return ast.walk(ast.Module(body=kernel.body, type_ignores=[]))


def _is_start(kernel, value: ast.AST) -> bool:
    """`float32(number)`: a float32 number known when compiling."""
    return (
        isinstance(value, ast.Call)
        and len(value.args) == 1
        and not value.keywords
        and cast(kernel, value) == nb.FLOAT32
        and isinstance(number(kernel, value.args[0]), (int, float))
    )


def _assigned_float64(kernel, target: ast.Name, statement: ast.AST) -> bool:
    if isinstance(statement, ast.Assign) and statement.targets == [target]:
        return _is_start(kernel, statement.value) or kind_of(kernel, statement.value) == nb.FLOAT64
    return (
        isinstance(statement, ast.AugAssign)
        and isinstance(statement.op, _FLOAT64_ARITHMETIC)
        and kind_of(kernel, statement.value) == nb.FLOAT64
    )


def _read_alike(kernel, read: ast.Name, parent: ast.AST) -> bool:
    if isinstance(parent, ast.BinOp) and isinstance(parent.op, _FLOAT64_ARITHMETIC):
        other = parent.right if parent.left is read else parent.left
        return other is not read and kind_of(kernel, other) == nb.FLOAT64
    if isinstance(parent, ast.Compare) and len(parent.ops) == 1:
        other = parent.comparators[0] if parent.left is read else parent.left
        kind = kind_of(kernel, other)
        return other is not read and isinstance(kind, np.dtype) and kind.kind in "iuf"
    return (
        isinstance(parent, ast.Assign)
        and parent.value is read
        and all(isinstance(t, ast.Subscript) for t in parent.targets)
    )


def _statements_with_chains(statements: list, chain: tuple = ()):
    """Each statement at any depth, with the (statement list, position) pairs leading to it."""
    for position, statement in enumerate(statements):
        here = (*chain, (statements, position))
        yield statement, here
        for field in ("body", "orelse"):
            yield from _statements_with_chains(getattr(statement, field, []), here)


def _own_nodes(statement: ast.stmt):
    """The nodes of `statement` outside the statements of its bodies."""
    nested = [getattr(statement, field, []) for field in ("body", "orelse")]
    skip = {id(s) for body in nested for s in body}
    stack = [statement]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child for child in ast.iter_child_nodes(node) if id(child) not in skip)


def _widened_before(kernel, name: str, chain: tuple) -> bool:
    """Whether `name` is certainly float64 where the statement `chain` leads to runs: going
    down from the kernel's body, the statements before it in each list widen it (a float64
    assignment, a loop of known positive trip count making one at its top level) or narrow it
    (one that may assign the start); a loop around it that may assign the start leaves it
    unknown (an earlier iteration may have)."""
    wide = False
    for depth, (statements, position) in enumerate(chain):
        for statement in statements[:position]:
            wide = _after(kernel, statement, name, wide)
        inner = depth < len(chain) - 1
        if (
            inner
            and _loops(statements[position])
            and _starts_in(kernel, statements[position], name)
        ):
            return False
    return wide


def _after(kernel, statement: ast.stmt, name: str, wide: bool) -> bool:
    """Whether `name` is certainly float64 after `statement`, given whether it was before."""
    if _starts_in(kernel, statement, name):
        return False
    if isinstance(statement, ast.Assign) and _is_target(statement, name):
        return kind_of(kernel, statement.value) == nb.FLOAT64
    if isinstance(statement, ast.AugAssign) and _is_name(statement.target, name):
        return wide or kind_of(kernel, statement.value) == nb.FLOAT64
    if isinstance(statement, ast.For) and _runs(kernel, statement):
        for inner in statement.body:
            wide = _after(kernel, inner, name, wide)
        return wide
    return wide


def _loops(statement: ast.stmt) -> bool:
    return isinstance(statement, (ast.For, ast.While))


def _starts_in(kernel, statement: ast.stmt, name: str) -> bool:
    return any(
        isinstance(n, ast.Assign) and _is_target(n, name) and _is_start(kernel, n.value)
        for n in ast.walk(statement)
    )


def _is_target(statement: ast.Assign, name: str) -> bool:
    return len(statement.targets) == 1 and _is_name(statement.targets[0], name)


def _is_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _runs(kernel, loop: ast.For) -> bool:
    """A `for` over `range(...)` of numbers known when compiling, with at least one step."""
    call = loop.iter
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)):
        return False
    if call.func.id != "range" or call.keywords or not 1 <= len(call.args) <= 3:
        return False
    bounds = [number(kernel, arg) for arg in call.args]
    if not all(type(b) is int for b in bounds) or (len(bounds) == 3 and bounds[2] == 0):
        return False
    return len(range(*bounds)) > 0
