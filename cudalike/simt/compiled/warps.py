"""Warp functions in compiled code: the block's threads meet at each warp statement.

A warp function needs the values of all 32 threads of a warp at once, where a compiled segment
runs each thread to its end before the next. A statement `x = cuda.shfl_down_sync(...)` (or
`x += ...`, or a store of the call's result) therefore splits segments as a barrier does: the
driver first evaluates the call's operands for every thread of the block into per-thread
arrays, then runs the statement for each thread with the exchanged value. The statement and
any loop or `if` around it run at block level (the same for every live thread, checked), and
a kernel with such statements may not `return`, so every thread of every warp takes part, as
in the vector engine, whose rules the runtime functions follow (a shuffle from a lane outside
the warp returns the caller's own value; votes count the lanes whose member mask names them).
`cuda.activemask()` is such a statement too: the lanes running it are the live threads of the
warp, since any `if` around it is the same within each warp.

`cuda.syncwarp()` splits segments the same way: every thread finishes what comes before it
before any thread goes on, which is all a correct kernel may rely on. With checks on it also
stamps the warps that reach it, so the shared-memory race checks order a warp's accesses
across it while accesses of other warps stay races until a block barrier (warp_runtime.py).
"""

from __future__ import annotations

import ast

import numpy as np

from cudalike.simt import frontend
from cudalike.simt.compiled import atomics
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.numbers import NotCompilable

# intrinsic -> (runtime function, operand kinds after the member mask, result type or None
# for the type of the value shuffled)
_CALLS = {
    "shfl_sync": ("wrt.shfl_sync", ("value", "lane"), None),
    "shfl_up_sync": ("wrt.shfl_up", ("value", "lane"), None),
    "shfl_down_sync": ("wrt.shfl_down", ("value", "lane"), None),
    "shfl_xor_sync": ("wrt.shfl_xor", ("value", "lane"), None),
    "ballot_sync": ("wrt.ballot", ("predicate",), np.dtype(np.uint32)),
    "all_sync": ("wrt.vote_all", ("predicate",), np.dtype(np.int32)),
    "any_sync": ("wrt.vote_any", ("predicate",), np.dtype(np.int32)),
    "eq_sync": ("wrt.vote_eq", ("compared",), np.dtype(np.int32)),
    "activemask": ("wrt.activemask", (), np.dtype(np.uint32)),
}
WARP_CALLS = frozenset(_CALLS)  # the warp functions that exchange values between lanes

FULL_MASK = 0xFFFFFFFF


def warp_call(statement: ast.stmt, kernel) -> ast.Call | None:
    """The warp function call a statement is made of (`x = call`, `x op= call`,
    `a[i] = call`, or `cuda.syncwarp()` alone), or None."""
    if is_syncwarp(statement, kernel):
        return statement.value
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target, value = statement.targets[0], statement.value
    elif isinstance(statement, ast.AugAssign):
        target, value = statement.target, statement.value
    else:
        return None
    if not isinstance(value, ast.Call) or not isinstance(target, (ast.Name, ast.Subscript)):
        return None
    meaning = kernel.resolve(value.func) if isinstance(value.func, ast.Attribute) else None
    if isinstance(meaning, frontend.Intrinsic) and meaning.path in _CALLS:
        return value
    return None


def is_syncwarp(statement: ast.stmt, kernel) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and kernel.resolve(statement.value.func) == frontend.Intrinsic("syncwarp")
    )


def check_syncwarp(statement: ast.Expr, kernel) -> None:
    """Only the whole warp's `cuda.syncwarp()` (no mask, or 0xFFFFFFFF) is compiled."""
    call = statement.value
    if call.keywords or len(call.args) > 1:
        raise NotCompilable("cuda.syncwarp with other arguments")
    if call.args:
        node = call.args[0]
        mask = node if isinstance(node, ast.Constant) else kernel.resolve(node)
        value = getattr(mask, "value", None)
        if not isinstance(value, (int, np.integer)) or int(value) != FULL_MASK:
            raise NotCompilable("cuda.syncwarp with a mask other than 0xFFFFFFFF")


def contains_warp_call(statement: ast.stmt, kernel) -> bool:
    return any(
        isinstance(node, ast.stmt) and warp_call(node, kernel) is not None
        for node in ast.walk(statement)
    )


def warp_branch(statement: ast.stmt, kernel) -> bool:
    """An `if` around warp calls but no barrier: its condition need only be the same for the
    threads of each warp (`if warp == 0:`), whose lanes then all run its body or all skip it."""
    return (
        isinstance(statement, ast.If)
        and contains_warp_call(statement, kernel)
        and not any(
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Call)
            and kernel.resolve(node.value.func) == frontend.Intrinsic("syncthreads")
            for node in ast.walk(statement)
        )
    )


def write_branch(writer, statement: ast.If, out: list, depth: int) -> None:
    """The condition of every thread, checked the same within each warp; then each branch runs
    with the threads that take it as the block's live threads, its segments visiting only the
    span from the first to the last of them (in a warp-only tail, one warp of the block)."""
    k = writer.k
    pad = "    " * depth
    condition = writer.per_thread_array(nb.BOOL)
    saved = writer.per_thread_array(nb.BOOL)
    inner = writer.thread_loop([statement.test], out, pad)
    out.append(f"{inner}{condition}[t] = {k.truth(*k.expr(statement.test))}")
    writer.end_thread_loop([statement.test], out, pad)
    out.append(f"{pad}wrt.warp_uniform({condition}, alive, nt)")
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
    result = _CALLS[path][2]
    if result is not None:
        return result
    if len(call.args) != 3:
        raise NotCompilable(f"cuda.{path} with other arguments")
    return kernel.expr(call.args[1])[1]


def write(writer, statement: ast.stmt, out: list, pad: str) -> None:
    """The two passes of a warp statement: operands of every thread, then the statement."""
    k = writer.k
    if is_syncwarp(statement, k):
        write_syncwarp(writer, out, pad)
        return
    call = warp_call(statement, k)
    path = k.resolve(call.func).path
    function, operands, result = _CALLS[path]
    if path == "activemask":
        write_activemask(writer, statement, call, out, pad)
        return
    if len(call.args) != 1 + len(operands) or call.keywords:
        raise NotCompilable(f"cuda.{path} with other arguments")
    arrays = []
    values = [("member", call.args[0])] + list(zip(operands, call.args[1:], strict=True))
    first = writer.thread_loop(statement, out, pad)
    shuffled = None
    for role, node in values:
        code, kind = k.expr(node)
        if role == "predicate":
            code, kind = k.truth(code, kind), nb.BOOL
        elif role in ("value", "compared"):
            if kind != nb.BOOL or role == "value":
                nb.numeric(kind)
            shuffled = kind
        elif not nb.is_integer(kind):
            raise NotCompilable(f"cuda.{path} with a non-integer {role}")
        else:
            code, kind = nb.cast(code, kind, nb.INT64), nb.INT64
        name = writer.per_thread_array(nb.storage(kind))
        arrays.append(name)
        out.append(f"{first}{name}[t] = {code}")
    writer.end_thread_loop(statement, out, pad)
    inner = writer.thread_loop(statement, out, pad)
    if path.startswith("shfl"):
        exchanged = f"{function}({arrays[1]}, {arrays[2]}[t], t, nt)"
    else:
        exchanged = f"{function}({arrays[1]}, {arrays[0]}, t, nt)"
    value = (exchanged, result if result is not None else shuffled)
    writer.assign_value(statement, value, out, inner)
    writer.end_thread_loop(statement, out, pad)


def write_activemask(writer, statement: ast.stmt, call: ast.Call, out: list, pad: str) -> None:
    """The live threads of each warp are the vector engine's active lanes here: every lane of
    a warp that runs the statement (an `if` around it is the same within each warp)."""
    if call.args or call.keywords:
        raise NotCompilable("cuda.activemask with arguments")
    inner = writer.thread_loop(statement, out, pad)
    value = ("wrt.activemask(alive, t, nt)", np.dtype(np.uint32))
    writer.assign_value(statement, value, out, inner)
    writer.end_thread_loop(statement, out, pad)


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
