"""Warp functions in compiled code: the block's threads meet at each warp statement.

A warp function needs the values of all 32 threads of a warp at once, where a compiled segment
runs each thread to its end before the next. A statement `x = cuda.shfl_down_sync(...)` (or
`x += ...`, or a store of the call's result) therefore splits segments as a barrier does: the
driver first evaluates, for every thread of the block, the operands other lanes read (the
value shuffled, a vote's predicate and member masks) into per-thread arrays; a vote then sums
up each warp once; then the statement runs for each thread with the exchanged value, the
thread computing its own shuffle lane there (when that reads no array: a constant or a
block-uniform lane costs nothing per thread) and leaving out a constant member mask, which a
shuffle does not use. The statement and any loop around it run at block level (the same for
every live thread, checked), and a kernel with such statements may not `return` (guards.py
rewrites leading guards), as in the vector engine, whose rules the runtime functions follow (a
shuffle from a lane outside the warp returns the caller's own value; votes count the live
lanes whose member mask names them).

An `if` around them may divide a warp (`if lane == leader:`, `if i < n and src[i] > 0:`): each
branch then runs with the threads taking it as the block's live threads, then branch first,
as the vector engine runs the lanes taking each. What a lane of the branch sees is what it
sees there: a vote and `cuda.activemask()` count the branch's live lanes only (a member mask
naming others changes nothing), and a shuffle reads a lane of the branch; a shuffle from a
lane of the warp outside it (which the vector engine reads from that lane's array, values
compiled code does not have) hands the launch back. In a kernel where no branch can divide a
warp every thread is live, and shuffles skip that test.

`cuda.syncwarp()` splits segments the same way: every thread finishes what comes before it
before any thread goes on, which is all a correct kernel may rely on. Its member mask changes
nothing on the vector engine, which meets the warps with a live lane there. With checks on it
also stamps the warps that reach it, so the shared-memory race checks order a warp's accesses
across it while accesses of other warps stay races until a block barrier (warp_runtime.py).
"""

from __future__ import annotations

import ast
import dataclasses

import numpy as np

from cudalike.simt import frontend
from cudalike.simt.compiled import atomics, block_votes
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.flow import assigned_names, meaning
from cudalike.simt.compiled.numbers import NotCompilable

# intrinsic -> (runtime function of the exchange, operand kinds after the member mask, result
# type or None for the type of the value shuffled). A vote first sums up each warp of the block
# (`wrt.warp_votes`, or `wrt.warp_equal` for eq_sync), then each thread reads its warp's result;
# match_any_sync first finds each lane's mask of lanes holding the same value (`wrt.warp_match`),
# match_all_sync each warp's mask and whether its voters agree (`wrt.warp_match_all`).
_CALLS = {
    "shfl_sync": ("wrt.shfl_sync", ("value", "lane"), None),
    "shfl_up_sync": ("wrt.shfl_up", ("value", "lane"), None),
    "shfl_down_sync": ("wrt.shfl_down", ("value", "lane"), None),
    "shfl_xor_sync": ("wrt.shfl_xor", ("value", "lane"), None),
    "ballot_sync": ("wrt.ballot", ("predicate",), np.dtype(np.uint32)),
    "all_sync": ("wrt.vote_all", ("predicate",), np.dtype(np.int32)),
    "any_sync": ("wrt.vote_any", ("predicate",), np.dtype(np.int32)),
    "eq_sync": ("wrt.vote_eq", ("compared",), np.dtype(np.int32)),
    "match_any_sync": ("wrt.match_any", ("compared",), np.dtype(np.int32)),
    "match_all_sync": ("wrt.match_all", ("compared",), np.dtype(np.int32)),
    "activemask": ("wrt.ballot", (), np.dtype(np.uint32)),
}
_TALLIES = {
    "eq_sync": "wrt.warp_equal",
    "match_any_sync": "wrt.warp_match",
    "match_all_sync": "wrt.warp_match_all",
}
# `mask, pred = cuda.match_all_sync(...)`: the types of the two names, the int32 bits of the
# uint32 mask and numpy's bool (the only warp call unpacked into names)
UNPACKED_KINDS = (np.dtype(np.int32), nb.BOOL)
WARP_CALLS = frozenset(_CALLS)  # the warp functions that exchange values between lanes
MATCH_ALL = "match_all_sync"

FULL_MASK = 0xFFFFFFFF


def warp_call(statement: ast.stmt, kernel) -> ast.Call | None:
    """The warp function call a statement is made of (`x = call`, `x op= call`,
    `a[i] = call`, or `cuda.syncwarp()` alone), or None. A block vote (block_votes.py) is
    such a statement too: it meets the block's threads the same way."""
    if is_syncwarp(statement, kernel):
        return statement.value
    vote = block_votes.vote_call(statement, kernel)
    if vote is not None:
        return vote
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target, value = statement.targets[0], statement.value
    elif isinstance(statement, ast.AugAssign):
        target, value = statement.target, statement.value
    else:
        return None
    if not isinstance(value, ast.Call) or not isinstance(value.func, ast.Attribute):
        return None
    if isinstance(target, (ast.Name, ast.Subscript)):
        called = kernel.resolve(value.func)
        if isinstance(called, frontend.Intrinsic) and called.path in WARP_CALLS - {MATCH_ALL}:
            return value
    elif _unpacked_match(statement, target, kernel):
        return value
    return None


def _unpacked_match(statement: ast.stmt, target: ast.expr, kernel) -> bool:
    """`mask, pred = cuda.match_all_sync(...)` (names or elements): its tuple used no other way."""
    return (
        isinstance(statement, ast.Assign)
        and isinstance(target, ast.Tuple)
        and len(target.elts) == 2
        and all(isinstance(part, (ast.Name, ast.Subscript)) for part in target.elts)
        and meaning(kernel.resolve, statement.value.func) == frontend.Intrinsic(MATCH_ALL)
    )


def is_syncwarp(statement: ast.stmt, kernel) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and kernel.resolve(statement.value.func) == frontend.Intrinsic("syncwarp")
    )


def check_syncwarp(statement: ast.Expr, kernel) -> None:
    """`cuda.syncwarp()` with no mask, an integer written in the kernel, or a variable: the
    vector engine's syncwarp meets the warps with an active lane whatever the mask names, and
    reading a number or a variable can neither fail nor change anything."""
    call = statement.value
    if call.keywords or len(call.args) > 1:
        raise NotCompilable("cuda.syncwarp with other arguments")
    if call.args:
        node = call.args[0]
        if isinstance(node, ast.Name) and node.id in kernel.locals:
            return
        mask = node if isinstance(node, ast.Constant) else kernel.resolve(node)
        value = getattr(mask, "value", None)
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise NotCompilable("cuda.syncwarp with a mask other than a number or a variable")


def contains_warp_call(statement: ast.stmt, kernel) -> bool:
    return any(
        isinstance(node, ast.stmt) and warp_call(node, kernel) is not None
        for node in ast.walk(statement)
    )


def warp_branch(statement: ast.stmt, kernel) -> bool:
    """An `if` around warp calls but no barrier (nor block vote): its condition may differ
    between the threads of a warp, each branch running with the threads that take it."""
    return (
        isinstance(statement, ast.If)
        and contains_warp_call(statement, kernel)
        and not block_votes.contains_vote(statement, kernel)
        and not any(
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and kernel.resolve(node.value.func) == frontend.Intrinsic("syncthreads")
            for node in ast.walk(statement)
        )
    )


def write_branch(writer, statement: ast.If, out: list, depth: int) -> None:
    """The condition of every thread; then each branch runs with the threads that take it as
    the block's live threads, its segments visiting only the span from the first to the last
    of them (in a warp-only tail, one warp of the block)."""
    k = writer.k
    pad = "    " * depth
    condition = writer.per_thread_array(nb.BOOL)
    saved = writer.per_thread_array(nb.BOOL)
    inner = writer.thread_loop([statement.test], out, pad)
    out.append(f"{inner}{condition}[t] = {k.truth(*k.expr(statement.test))}")
    writer.end_thread_loop([statement.test], out, pad)
    out.append(f"{pad}{saved}[:] = alive")
    outer = writer.live_range
    writer.live_range = (writer._temporary(), writer._temporary(), "1")
    for taken, body in ((True, statement.body), (False, statement.orelse)):
        if body:
            out.append(f"{pad}wrt.take_branch(alive, {saved}, {condition}, {taken})")
            out.append(f"{pad}{', '.join(writer.live_range[:2])} = wrt.live_span(alive)")
            writer._block(body, out, depth)
    writer.live_range = outer
    out.append(f"{pad}alive[:] = {saved}")


def result_kind(kernel, call: ast.Call):
    """The type of a warp call's result (a shuffle's: the type of the value shuffled)."""
    path = kernel.resolve(call.func).path
    if path in block_votes.VOTES:
        return block_votes.RESULT
    result = _CALLS[path][2]
    if result is not None:
        return result
    if len(call.args) != 3:
        raise NotCompilable(f"cuda.{path} with other arguments")
    return kernel.expr(call.args[1])[1]


def write(writer, statement: ast.stmt, out: list, pad: str) -> None:
    """The passes of a warp statement: the operands other lanes read, of every thread, into
    per-thread arrays; for a vote, each warp's result; then the statement for each thread."""
    k = writer.k
    if is_syncwarp(statement, k):
        write_syncwarp(writer, out, pad)
        return
    call = warp_call(statement, k)
    path = k.resolve(call.func).path
    if path in block_votes.VOTES:
        block_votes.write(writer, statement, call, out, pad)
        return
    function, roles, result = _CALLS[path]
    roles = ("member", *roles) if roles else ()  # activemask takes no member mask
    if len(call.args) != len(roles) or call.keywords:
        raise NotCompilable(f"cuda.{path} with other arguments")
    shuffle = path.startswith("shfl")
    operands = {
        role: _operand(k, path, role, node, shuffle)
        for role, node in zip(roles, call.args, strict=True)
    }
    value = operands.get("value")
    if value and isinstance(value.node, ast.Name) and value.node.id in k.promoted:
        if value.node.id not in assigned_names([statement]):  # `w = shfl(v)`: read P_v itself
            value.code, value.where = f"P_{value.node.id}", "own"
    codes = _gather(writer, operands, shuffle, out, pad)
    own = []  # a shuffle's member mask: unused, but evaluated as the vector engine does
    if shuffle:
        if k.may_die:  # a lane of the warp may be out of the branch: read only live ones
            exchanged = f"{function}_live({codes['value']}, {codes['lane']}, t, nt, alive)"
        else:
            exchanged = f"{function}({codes['value']}, {codes['lane']}, t, nt)"
        if operands["member"].where == "own":
            own.append(f"{writer._temporary()} = {codes['member']}")
        result = result or operands["value"].kind
    else:
        bits = _per_warp_array(writer, lanes=path == "match_any_sync")
        voters = _per_warp_array(writer)
        tally = _TALLIES.get(path, "wrt.warp_votes")
        lanes = codes.get("predicate", codes.get("compared", "alive"))
        members = codes.get("member", str(FULL_MASK))
        out.append(f"{pad}{tally}({lanes}, {members}, alive, nt, {bits}, {voters})")
        exchanged = f"{function}({bits}, {voters}, t)"
    inner = writer.thread_loop(statement, out, pad)
    out += [f"{inner}{line}" for line in own]
    if path == MATCH_ALL:  # each part in turn, as Python assigns a tuple's names
        agree = f"wrt.match_all_agree({bits}, {voters}, t)"
        for element, code in zip(statement.targets[0].elts, (exchanged, agree), strict=True):
            part = ast.Assign(targets=[element], value=statement.value)
            writer.assign_value(part, (code, UNPACKED_KINDS[code is agree]), out, inner)
    else:
        writer.assign_value(statement, (exchanged, result), out, inner)
    writer.end_thread_loop(statement, out, pad)


@dataclasses.dataclass
class _Operand:
    node: ast.expr
    code: str
    kind: object
    # "literal", "own" (computed by its thread when exchanging; a shuffled variable the
    # statement does not assign: its per-thread array) or "gathered"
    where: str


def _operand(k, path: str, role: str, node: ast.expr, shuffle: bool) -> _Operand:
    """One operand, refusing the types the vector engine would not take."""
    code, kind = k.expr(node)
    if role == "predicate":
        code, kind = k.truth(code, kind), nb.BOOL
    elif role in ("value", "compared"):
        if kind != nb.BOOL or path.startswith("match"):
            nb.numeric(kind)
    elif not nb.is_integer(kind):
        raise NotCompilable(f"cuda.{path} with a non-integer {role}")
    else:
        code, kind = nb.cast(code, kind, nb.INT64), nb.INT64
    if code.lstrip("-").isdigit():
        return _Operand(node, code, kind, "literal")
    if shuffle and role != "value" and _own(node):
        return _Operand(node, code, kind, "own")
    return _Operand(node, code, kind, "gathered")


def _own(node: ast.expr) -> bool:
    """Whether a shuffle's lane or mask may be computed by its thread in the exchange pass:
    it reads no array element and calls nothing, so what threads exchanged before it stored
    cannot change it (the statement changes only its thread's own variables, after reading
    it). A block-uniform operand then costs nothing per thread: the loop does not change it."""
    return not any(
        isinstance(n, ast.Call)
        or (isinstance(n, ast.Subscript) and getattr(n.value, "attr", None) != "shape")
        for n in ast.walk(node)
    )


def _gather(writer, operands: dict, shuffle: bool, out: list, pad: str) -> dict:
    """The pass storing every thread's gathered operands; the code of each operand for the
    exchange pass (a per-thread array for the value and vote operands, the thread's element
    for a lane). A shuffle's gathered mask is only evaluated."""
    codes = {role: o.code for role, o in operands.items() if o.where != "gathered"}
    gathered = [o.node for o in operands.values() if o.where == "gathered"]
    if not gathered:
        return codes
    first = writer.thread_loop(gathered, out, pad)
    for role, operand in operands.items():
        if operand.where != "gathered":
            continue
        if shuffle and role == "member":
            out.append(f"{first}{writer._temporary()} = {operand.code}")
            continue
        name = writer.per_thread_array(nb.storage(operand.kind))
        out.append(f"{first}{name}[t] = {operand.code}")
        codes[role] = f"{name}[t]" if role == "lane" else name
    writer.end_thread_loop(gathered, out, pad)
    return codes


def _per_warp_array(writer, lanes: bool = False) -> str:
    """A block-wide array of one int64 per warp (per thread with `lanes`)."""
    name = writer._temporary()
    size = "nt" if lanes else "(nt + 31) // 32"
    writer.allocations.append(f"    {name} = np.empty({size}, np.int64)")
    return name


def write_syncwarp(writer, out: list, pad: str) -> None:
    """Between the segments before and after it, nothing to do but, with checks on, stamp the
    warps that have a live thread here (the vector engine's warps with an active lane)."""
    k = writer.k
    if not k.checks:
        return
    allocation = "    wsync = np.zeros((nt + 31) // 32 + 2, np.int64)"
    if allocation not in writer.allocations:
        writer.allocations.append(allocation)
    out.append(f"{pad}wrt.syncwarp(wsync, alive, nt, gep)")


def atomic_on_shared(kernel) -> bool:
    """Whether the kernel updates a shared array atomically (its atomics' checks know only
    barriers, so with syncwarp and checks on such a kernel stays on the vector engine)."""
    shared = {a.name for a in kernel.arrays.values() if a.space == "shared"}
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.args
        and getattr(node.args[0], "id", None) in shared
        and atomics.is_atomic(kernel.resolve(node.func))
        for node in ast.walk(kernel.parsed.tree)
    )
