"""Warp shuffles and votes in compiled code: the block's threads meet at each such statement.

A warp function needs the values of all 32 threads of a warp at once, where a compiled segment
runs each thread to its end before the next. A statement `x = cuda.shfl_down_sync(...)` (or
`x += ...`, or a store of the call's result) therefore splits segments as a barrier does: the
driver first evaluates the call's operands for every thread of the block into per-thread
arrays, then runs the statement for each thread with the exchanged value. The statement and
any loop or `if` around it run at block level (the same for every live thread, checked), and
a kernel with such statements may not `return`, so every thread of every warp takes part, as
in the vector engine, whose rules the runtime functions follow (a shuffle from a lane outside
the warp returns the caller's own value; votes count the lanes whose member mask names them).
"""

from __future__ import annotations

import ast

import numpy as np

from cudalike.simt import frontend
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
}


def warp_call(statement: ast.stmt, kernel) -> ast.Call | None:
    """The warp function call a statement is made of (`x = call`, `x op= call`,
    `a[i] = call`), or None."""
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
    with the threads that take it as the block's live threads."""
    k = writer.k
    pad = "    " * depth
    condition = writer.per_thread_array(nb.BOOL)
    saved = writer.per_thread_array(nb.BOOL)
    inner = writer.thread_loop([statement.test], out, pad)
    out.append(f"{inner}{condition}[t] = {k.truth(*k.expr(statement.test))}")
    writer.end_thread_loop([statement.test], out, pad)
    out.append(f"{pad}wrt.warp_uniform({condition}, alive, nt)")
    out.append(f"{pad}{saved}[:] = alive")
    out.append(f"{pad}wrt.take_branch(alive, {saved}, {condition}, True)")
    writer._block(statement.body, out, depth)
    if statement.orelse:
        out.append(f"{pad}wrt.take_branch(alive, {saved}, {condition}, False)")
        writer._block(statement.orelse, out, depth)
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
    call = warp_call(statement, k)
    path = k.resolve(call.func).path
    function, operands, result = _CALLS[path]
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
