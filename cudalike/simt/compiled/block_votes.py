"""Block-wide votes in compiled code: `cuda.syncthreads_count`, `_and` and `_or`.

Each is a barrier that also hands every thread of the block one number: how many live threads
gave a non-zero predicate (`count`), whether all of them did (`and`), whether any did (`or`),
as an int32 (the vector engine's type; the last two are 1 or 0). Threads that returned take no
part, as in the vector engine, whose mask leaves them out.

A statement made of such a call (`n = cuda.syncthreads_count(p)`, `n += ...`, `out[i] = ...`,
or the call alone) runs at block level, as a warp statement does (warps.py): a pass over the
live threads evaluates each one's predicate and counts, the barrier advances the race checks'
epochs exactly as `cuda.syncthreads()` does, then a pass assigns the result for each thread.
The predicate is thus read before the barrier and the result stored after it, in the vector
engine's order. Any `if` or loop around the statement is a block-level one, its condition
checked the same for every live thread, so a vote in divergent code hands the launch back and
the vector engine reports the barrier divergence.

A vote inside an expression (`if cuda.syncthreads_or(flag):`, `for k in
range(cuda.syncthreads_count(p)):`, `x = 2 * cuda.syncthreads_and(p)`) is first moved into a
variable of its own assigned just before the statement (`hoist_votes`). A `while` whose
condition holds one, the classic `while cuda.syncthreads_or(changed):` of BFS or Jacobi until
converged, assigns it before the loop and again at the end of its body, which is where the
vector engine evaluates the condition again: every iteration and the last, failing, test each
vote once, and the loop counts the same iterations. The move is made only where nothing
evaluated before the call in the statement reads memory or has an effect (the race checks
would then see a read on the other side of the barrier), where no short-circuit may skip the
call, and where the loop's body has no `break` or `continue` of its own.
"""

from __future__ import annotations

import ast
import copy
import re

import numpy as np

from cudalike.simt import frontend
from cudalike.simt.compiled import atomics
from cudalike.simt.compiled.flow import (
    fresh_names,
    leaves_loop,
    meaning,
    own_expressions,
    sometimes_evaluated,
    with_body,
)
from cudalike.simt.compiled.numbers import NotCompilable

# the vote -> its int32 result from the number of live threads voting true and of all voting
VOTES = {
    "syncthreads_count": "np.int32({true})",
    "syncthreads_and": "np.int32(1 if {true} == {voters} else 0)",
    "syncthreads_or": "np.int32(1 if {true} > 0 else 0)",
}
RESULT = np.dtype(np.int32)
_INLINED_VALUE = re.compile(r"d\d+_value$")  # a call's value that inline.py moved before


def is_vote(node: ast.AST, resolve) -> bool:
    """Whether `node` is a call of a block vote (`resolve`: the kernel's name resolution)."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    called = meaning(resolve, node.func)
    return isinstance(called, frontend.Intrinsic) and called.path in VOTES


def vote_call(statement: ast.stmt, kernel) -> ast.Call | None:
    """The vote a statement is made of (`x = vote`, `x op= vote`, `a[i] = vote`, the call
    alone), or None."""
    if isinstance(statement, ast.Expr):
        value = statement.value
    elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        value = statement.value
        if not isinstance(statement.targets[0], (ast.Name, ast.Subscript)):
            return None
    elif isinstance(statement, ast.AugAssign):
        value = statement.value
    else:
        return None
    return value if is_vote(value, kernel.resolve) else None


def contains_vote(statement: ast.stmt, kernel) -> bool:
    return any(is_vote(node, kernel.resolve) for node in ast.walk(statement))


def write(writer, statement: ast.stmt, call: ast.Call, out: list, pad: str) -> None:
    """The vote's passes: count the live threads and their true predicates, pass the barrier,
    then the statement for each live thread with the block's result."""
    k = writer.k
    path = k.resolve(call.func).path
    if len(call.args) != 1 or call.keywords:
        raise NotCompilable(f"cuda.{path} with other arguments")
    if isinstance(statement, ast.AugAssign) and not isinstance(statement.target, ast.Name):
        raise NotCompilable("an array element updated with a block vote (read before it)")
    target = getattr(statement, "target", None) or getattr(statement, "targets", [None])[0]
    if isinstance(target, ast.Name) and target.id in k.block_vars:
        raise NotCompilable(f"a barrier loop's variable assigned by cuda.{path}()")
    predicate = call.args[0]
    if any(atomics.is_atomic(_meaning(k, n)) for n in ast.walk(predicate)):
        raise NotCompilable(f"an atomic in the predicate of cuda.{path}()")
    true, voters = writer._temporary(), writer._temporary()
    out += [f"{pad}{true} = 0", f"{pad}{voters} = 0"]
    inner = writer.thread_loop([predicate], out, pad)
    code, kind = k.expr(predicate)
    out += [f"{inner}{voters} += 1", f"{inner}if {k.truth(code, kind)}:", f"{inner}    {true} += 1"]
    writer.end_thread_loop([predicate], out, pad)
    out += [f"{pad}gep += 1", f"{pad}lep += 1"]  # the barrier, as cuda.syncthreads() passes it
    if isinstance(statement, ast.Expr):
        return
    result = writer._temporary()
    out.append(f"{pad}{result} = {VOTES[path].format(true=true, voters=voters)}")
    stored = copy.copy(statement)  # what the pass loads and stores: not the predicate's names
    stored.value = ast.Constant(0)
    inner = writer.thread_loop(stored, out, pad)
    writer.assign_value(statement, (result, RESULT), out, inner)
    writer.end_thread_loop(stored, out, pad)


def _meaning(kernel, node: ast.AST):
    if not isinstance(node, ast.Call):
        return None
    try:
        return kernel.resolve(node.func)
    except NotCompilable:
        return None


# ---- votes inside expressions, moved into statements of their own --------------------------
def hoist_votes(parsed: frontend.ParsedFunction, resolver) -> frontend.ParsedFunction:
    """`parsed` with every vote nested in an expression (or a loop's condition or range)
    assigned to a fresh variable just before its statement (and at the end of a `while`'s
    body). The tree is rewritten in place: the caller hands over a copy of its own."""
    names = fresh_names(parsed, "vote")
    return with_body(parsed, _statements(parsed.tree.body, resolver.resolve, names))


def _statements(statements: list, resolve, names) -> list:
    out = []
    for statement in statements:
        for field in ("body", "orelse"):
            inner = getattr(statement, field, None)
            if inner:
                setattr(statement, field, _statements(inner, resolve, names))
        out += _hoisted(statement, resolve, names)
    return out


def _hoisted(statement: ast.stmt, resolve, names) -> list[ast.stmt]:
    own = own_expressions(statement)
    votes = [n for root in own for n in ast.walk(root) if is_vote(n, resolve)]
    if not votes:
        return [statement]
    if len(votes) > 1:
        raise NotCompilable("two block votes in one statement")
    vote = votes[0]
    made_of = getattr(statement, "value", None) is vote
    if made_of and isinstance(statement, (ast.Assign, ast.AugAssign, ast.Expr)):
        return [statement]  # run as it is (write)
    if not isinstance(statement, (ast.Assign, ast.AugAssign, ast.Expr, ast.If, ast.While, ast.For)):
        raise NotCompilable(f"a block vote in a {type(statement).__name__} statement")
    if isinstance(statement, ast.AugAssign) and not isinstance(statement.target, ast.Name):
        raise NotCompilable("an array element updated with a block vote (read before it)")
    _refuse_before(own, vote, resolve)
    name = next(names)
    target = ast.copy_location(ast.Name(id=name, ctx=ast.Store()), statement)
    assign = ast.fix_missing_locations(
        ast.copy_location(ast.Assign(targets=[target], value=vote), statement)
    )
    _Replace(vote, name).visit(statement)
    if isinstance(statement, ast.While):
        if statement.orelse or leaves_loop(statement.body):
            raise NotCompilable("a block vote in the condition of a loop left by break/continue")
        statement.body.append(copy.deepcopy(assign))
    return [assign, statement]


def _refuse_before(roots: list[ast.expr], vote: ast.Call, resolve) -> None:
    """Refuse a vote a short-circuit may skip, or after a read of memory or a call with an
    effect in the statement: moving the vote before them moves them past its barrier."""
    skipped = (part for root in roots for part in sometimes_evaluated(root))
    if any(n is vote for part in skipped for n in ast.walk(part)):
        raise NotCompilable("a block vote that a short-circuit may skip")
    if any(
        isinstance(n, ast.Name) and _INLINED_VALUE.match(n.id) for r in roots for n in ast.walk(r)
    ):
        # inline.py moved a device function's reads out of this statement, maybe from after
        # the vote: they would now come before its barrier
        raise NotCompilable("a device function handed an array beside a block vote")
    inside = {id(n) for n in ast.walk(vote)}
    for node in (n for root in roots for n in _evaluation_order(root)):
        if node is vote:
            return
        if id(node) in inside:
            continue
        if isinstance(node, ast.Subscript) and not _shape(node):
            raise NotCompilable("an array read before a block vote in one statement")
        if isinstance(node, ast.Call) and not _pure(node, resolve):
            raise NotCompilable("a call before a block vote in one statement")


def _evaluation_order(node: ast.AST):
    """The nodes under `node` in the order they complete (children first, left to right)."""
    for child in ast.iter_child_nodes(node):
        yield from _evaluation_order(child)
    yield node


def _shape(node: ast.Subscript) -> bool:
    return isinstance(node.value, ast.Attribute) and node.value.attr == "shape"


def _pure(call: ast.Call, resolve) -> bool:
    """Builtins other than print, casts and math functions: no memory read, no effect."""
    called = meaning(resolve, call.func)
    if isinstance(called, frontend.Builtin):
        return called.name != "print"
    return isinstance(called, frontend.Constant)


class _Replace(ast.NodeTransformer):
    """Replaces one node (by identity) with a read of a name."""

    def __init__(self, node: ast.AST, name: str):
        self.node = node
        self.name = name

    def visit(self, node: ast.AST) -> ast.AST:
        if node is self.node:
            return ast.copy_location(ast.Name(id=self.name, ctx=ast.Load()), node)
        return super().visit(node)
