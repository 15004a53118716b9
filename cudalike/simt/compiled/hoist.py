"""Warp calls inside expressions, moved into statements of their own before translation.

The compiled tier runs a warp function only as a statement made of the call (warps.py). A call
inside an expression, `m = max(m, cuda.shfl_down_sync(mask, m, offset))`, becomes a fresh
variable assigned just before the statement, with the statement's line number
(`warp1 = cuda.shfl_down_sync(mask, m, offset)`, then `m = max(m, warp1)`), which is what the
vector engine computes: it evaluates the whole statement for every lane, the call included.

The move is made only where it cannot change what is evaluated or the order of effects: the
call is not under a short-circuit (`and`/`or` past the first operand, the branches of `x if c
else y`, a chained comparison past its first two operands), and no call with an effect (an
atomic, anything not known to be pure) is evaluated before it or inside its operands. Reads
may move before other reads of the same statement: any check they fire hands the launch to
the vector engine, whose report is its own. Statements whose warp calls cannot move, and warp
calls in a loop's condition or range, keep the kernel on the vector engine.
"""

from __future__ import annotations

import ast
import copy

from cudalike.simt import frontend
from cudalike.simt.compiled import warps
from cudalike.simt.compiled.flow import (
    fresh_names,
    meaning,
    own_expressions,
    rewritten,
    sometimes_evaluated,
    visit_own_expressions,
    with_body,
)
from cudalike.simt.compiled.numbers import NotCompilable

# cuda functions without effects that may be evaluated before a moved warp call
_PURE_INTRINSICS = {"grid", "gridsize", "popc", "clz", "ffs", "brev", "selp", "lanemask_lt", "fma"}
_PURE_INTRINSICS |= set(warps.WARP_CALLS)


def hoist_warp_calls(parsed: frontend.ParsedFunction, resolver) -> frontend.ParsedFunction:
    """`parsed` with every warp call nested in an expression moved into a statement before."""
    calls, names = _Calls(resolver), fresh_names(parsed, "warp")
    return with_body(parsed, rewritten(parsed.tree.body, lambda s: _hoisted(s, calls, names)))


class _Calls:
    """What the calls of a kernel are: warp calls, pure calls, or calls with effects."""

    def __init__(self, resolver):
        self.resolver = resolver

    def meaning(self, call: ast.Call):
        return meaning(self.resolver.resolve, call.func)

    def is_warp(self, node: ast.AST) -> bool:
        if not isinstance(node, ast.Call):
            return False
        meaning = self.meaning(node)
        return isinstance(meaning, frontend.Intrinsic) and meaning.path in warps.WARP_CALLS

    def is_pure(self, call: ast.Call) -> bool:
        meaning = self.meaning(call)
        if isinstance(meaning, frontend.Builtin):
            return meaning.name != "print"
        if isinstance(meaning, frontend.Intrinsic):
            return meaning.path in _PURE_INTRINSICS
        # casts and math functions; device functions of numbers (arrays keep them untranslated)
        return isinstance(meaning, (frontend.Constant, frontend.DeviceFunction))


def _statement_form(statement: ast.stmt, calls: _Calls) -> bool:
    """A statement warps.py runs as it is: `x = call`, `x op= call`, `a[i] = call`, `call`,
    and `mask, pred = cuda.match_all_sync(m, v)`."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        if isinstance(target, ast.Tuple) and isinstance(statement.value, ast.Call):
            match_all = calls.meaning(statement.value) == frontend.Intrinsic(warps.MATCH_ALL)
            return match_all and len(target.elts) == 2
    elif isinstance(statement, ast.AugAssign):
        target = statement.target
    else:
        return isinstance(statement, ast.Expr) and calls.is_warp(statement.value)
    return isinstance(target, (ast.Name, ast.Subscript)) and calls.is_warp(statement.value)


def _hoisted(statement: ast.stmt, calls: _Calls, names):
    """(assignments to put before, the statement reading them: a copy where anything moved)."""
    own = own_expressions(statement)
    if _statement_form(statement, calls) or not any(
        calls.is_warp(n) for root in own for n in ast.walk(root)
    ):
        return [], statement
    if isinstance(statement, (ast.For, ast.While)):
        raise NotCompilable("a warp function in a loop's condition or range")
    if not isinstance(statement, (ast.Assign, ast.AugAssign, ast.Expr, ast.If)):
        raise NotCompilable(f"a warp function in a {type(statement).__name__} statement")
    copied = copy.deepcopy(statement)
    roots = own_expressions(copied)
    order = [n for root in roots for n in _evaluation_order(root)]
    warp_calls = [n for n in order if calls.is_warp(n)]
    last = order.index(warp_calls[-1])
    if any(not calls.is_warp(n) and not calls.is_pure(n) for n in order[: last + 1]):
        raise NotCompilable("a warp function evaluated after a call with an effect")
    for root in roots:
        _refuse_short_circuits(root, calls)
    mover = _Mover({id(n) for n in warp_calls}, names, statement)
    visit_own_expressions(copied, mover)
    return mover.before, copied


def _evaluation_order(node: ast.AST):
    """The calls under `node` in the order they complete (children first, left to right)."""
    for child in ast.iter_child_nodes(node):
        yield from _evaluation_order(child)
    if isinstance(node, ast.Call):
        yield node


def _refuse_short_circuits(root: ast.expr, calls: _Calls) -> None:
    """Refuse a warp call that only some evaluations of `root` reach."""
    if any(calls.is_warp(n) for part in sometimes_evaluated(root) for n in ast.walk(part)):
        raise NotCompilable("a warp function that a short-circuit may skip")


class _Mover(ast.NodeTransformer):
    """Replaces the warp calls named by id, innermost first, with fresh variables."""

    def __init__(self, moved: set[int], names, statement: ast.stmt):
        self.moved = moved
        self.names = names
        self.statement = statement
        self.before: list[ast.stmt] = []

    def visit_Call(self, node: ast.Call) -> ast.expr:
        moving = id(node) in self.moved
        self.generic_visit(node)
        if not moving:
            return node
        name = next(self.names)
        target = ast.copy_location(ast.Name(id=name, ctx=ast.Store()), self.statement)
        assign = ast.copy_location(ast.Assign(targets=[target], value=node), self.statement)
        self.before.append(ast.fix_missing_locations(assign))
        return ast.copy_location(ast.Name(id=name, ctx=ast.Load()), node)
