"""Warp calls and random draws inside expressions, moved into statements of their own before
translation.

The compiled tier runs a warp function only as a statement made of the call (warps.py), and a
draw must be evaluated exactly once where the vector engine evaluates it (random_calls.py). A
call inside an expression, `m = max(m, cuda.shfl_down_sync(mask, m, offset))`, becomes a fresh
variable assigned just before the statement, with the statement's line number
(`warp1 = cuda.shfl_down_sync(mask, m, offset)`, then `m = max(m, warp1)`), which is what the
vector engine computes: it evaluates the whole statement for every lane, the call included.

The move is made only where it cannot change what is evaluated or the order of effects: the
call is not under a short-circuit (`and`/`or` past the first operand, the branches of `x if c
else y`, a chained comparison past its first two operands), and no call with an effect (an
atomic, anything not known to be pure) is evaluated before it or inside its operands. Reads
may move before other reads of the same statement: any check they fire hands the launch to
the vector engine, whose report is its own. Statements whose calls cannot move, and such calls
in a loop's condition or range, keep the kernel on the vector engine.
"""

from __future__ import annotations

import ast
import copy

from cudalike.simt import frontend
from cudalike.simt.compiled import random_calls, warps
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


def hoist_calls(parsed: frontend.ParsedFunction, resolver) -> frontend.ParsedFunction:
    """`parsed` with every warp call and random draw nested in an expression moved into a
    statement before it."""
    names = {kind: fresh_names(parsed, kind) for kind in _NOUNS}
    calls = _Calls(resolver, names)
    return with_body(parsed, rewritten(parsed.tree.body, lambda s: _hoisted(s, calls)))


class _Calls:
    """What the calls of a kernel are: moved (warp calls, draws), pure, or with effects."""

    def __init__(self, resolver, names: dict):
        self.resolver = resolver
        self.names = names  # fresh variable names for each kind of moved call

    def meaning(self, call: ast.Call):
        return meaning(self.resolver.resolve, call.func)

    def kind(self, node: ast.AST) -> str | None:
        """ "warp" or "draw" for a call that is moved, else None."""
        if not isinstance(node, ast.Call):
            return None
        meaning = self.meaning(node)
        if isinstance(meaning, frontend.Intrinsic) and meaning.path in warps.WARP_CALLS:
            return "warp"
        return "draw" if random_calls.is_draw(meaning) else None

    def is_moved(self, node: ast.AST) -> bool:
        return self.kind(node) is not None

    def is_pure(self, call: ast.Call) -> bool:
        meaning = self.meaning(call)
        if isinstance(meaning, frontend.Builtin):
            return meaning.name != "print"
        if isinstance(meaning, frontend.Intrinsic):
            return meaning.path in _PURE_INTRINSICS
        # casts and math functions; device functions of numbers (arrays keep them untranslated)
        return isinstance(meaning, (frontend.Constant, frontend.DeviceFunction))


def _statement_form(statement: ast.stmt, calls: _Calls) -> bool:
    """A statement translated as it is: `x = call`, `x op= call`, `a[i] = call`, `call`, and
    `mask, pred = cuda.match_all_sync(m, v)`, with no other moved call in it."""
    value = getattr(statement, "value", None)
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
        if isinstance(target, ast.Tuple) and isinstance(value, ast.Call):
            match_all = calls.meaning(value) == frontend.Intrinsic(warps.MATCH_ALL)
            if not (match_all and len(target.elts) == 2):
                return False
        elif not isinstance(target, (ast.Name, ast.Subscript)):
            return False
        inside = [*value.args, target] if isinstance(value, ast.Call) else []
    elif isinstance(statement, ast.AugAssign):
        target = statement.target
        if not isinstance(target, (ast.Name, ast.Subscript)):
            return False
        inside = [*value.args, target] if isinstance(value, ast.Call) else []
    elif isinstance(statement, ast.Expr):
        inside = list(value.args) if isinstance(value, ast.Call) else []
    else:
        return False
    if not calls.is_moved(value):
        return False
    return not any(calls.is_moved(n) for part in inside for n in ast.walk(part))


def _hoisted(statement: ast.stmt, calls: _Calls):
    """(assignments to put before, the statement reading them: a copy where anything moved)."""
    own = own_expressions(statement)
    moved = [n for root in own for n in ast.walk(root) if calls.is_moved(n)]
    if not moved or _statement_form(statement, calls):
        return [], statement
    what = _NOUNS[calls.kind(moved[0])]
    if isinstance(statement, (ast.For, ast.While)):
        raise NotCompilable(f"{what} in a loop's condition or range")
    if not isinstance(statement, (ast.Assign, ast.AugAssign, ast.Expr, ast.If)):
        raise NotCompilable(f"{what} in a {type(statement).__name__} statement")
    copied = copy.deepcopy(statement)
    roots = own_expressions(copied)
    order = [n for root in roots for n in _evaluation_order(root)]
    moving = [n for n in order if calls.is_moved(n)]
    last = order.index(moving[-1])
    if any(not calls.is_moved(n) and not calls.is_pure(n) for n in order[: last + 1]):
        raise NotCompilable(f"{what} evaluated after a call with an effect")
    for root in roots:
        _refuse_short_circuits(root, calls)
    mover = _Mover({id(n) for n in moving}, calls, statement)
    visit_own_expressions(copied, mover)
    return mover.before, copied


_NOUNS = {"warp": "a warp function", "draw": "a random draw"}


def _evaluation_order(node: ast.AST):
    """The calls under `node` in the order they complete (children first, left to right)."""
    for child in ast.iter_child_nodes(node):
        yield from _evaluation_order(child)
    if isinstance(node, ast.Call):
        yield node


def _refuse_short_circuits(root: ast.expr, calls: _Calls) -> None:
    """Refuse a moved call that only some evaluations of `root` reach."""
    for part in sometimes_evaluated(root):
        for node in ast.walk(part):
            if calls.is_moved(node):
                raise NotCompilable(f"{_NOUNS[calls.kind(node)]} that a short-circuit may skip")


class _Mover(ast.NodeTransformer):
    """Replaces the calls named by id, innermost first, with fresh variables."""

    def __init__(self, moved: set[int], calls: _Calls, statement: ast.stmt):
        self.moved = moved
        self.calls = calls
        self.statement = statement
        self.before: list[ast.stmt] = []

    def visit_Call(self, node: ast.Call) -> ast.expr:
        moving = id(node) in self.moved
        self.generic_visit(node)
        if not moving:
            return node
        name = next(self.calls.names[self.calls.kind(node)])
        target = ast.copy_location(ast.Name(id=name, ctx=ast.Store()), self.statement)
        assign = ast.copy_location(ast.Assign(targets=[target], value=node), self.statement)
        self.before.append(ast.fix_missing_locations(assign))
        return ast.copy_location(ast.Name(id=name, ctx=ast.Load()), node)
