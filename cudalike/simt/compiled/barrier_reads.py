"""Array elements in the range of a loop around barriers, or in the test of an `if` around
barriers, read into variables first.

Compiled code runs a statement containing a barrier once for the whole block,
reading its range bounds and its test from per-thread variables checked to agree between the
block's live threads (`rt.uniform`). An element read there, as in lavaMD's
`for k in range(1 + box_nn[bx])`, becomes a fresh variable assigned just before the statement,
with its line number: every live thread evaluates it at that point, as the vector engine does,
and the block then reads the variable. A `for` has all its range arguments moved, in order, so
nothing is evaluated in another order. A `while` test is read again at the end of each
iteration, where the vector engine would test it next; a `while` with a `continue` of its own
(which would skip that read) or an `else` is left as it is, and stays on the vector engine.
"""

from __future__ import annotations

import ast
import copy

from cudalike.simt import frontend
from cudalike.simt.compiled.flow import fresh_names, leaves_loop, meaning, rewritten, with_body


def read_before_barriers(parsed: frontend.ParsedFunction, resolver) -> frontend.ParsedFunction:
    """`parsed` with the element reads of barrier statements' ranges and tests moved out."""
    names = fresh_names(parsed, "bound")
    body = rewritten(parsed.tree.body, lambda s: _moved(s, resolver.resolve, names))
    return with_body(parsed, body)


def _moved(statement: ast.stmt, resolve, names) -> tuple[list, ast.stmt]:
    """(assignments to put before `statement`, the statement reading them instead)."""
    if isinstance(statement, ast.For) and _is_range(statement.iter, resolve):
        values = statement.iter.args
    elif isinstance(statement, ast.If) or (
        isinstance(statement, ast.While)
        and not statement.orelse
        and not leaves_loop(statement.body, (ast.Continue,))  # which would skip the read
    ):
        values = [statement.test]
    else:
        return [], statement
    if not any(isinstance(n, ast.Subscript) for v in values for n in ast.walk(v)):
        return [], statement
    if not has_barrier(statement, resolve):
        return [], statement
    before, reads = [], []
    for value in values:
        name = next(names)
        target = ast.copy_location(ast.Name(id=name, ctx=ast.Store()), statement)
        assign = ast.copy_location(ast.Assign(targets=[target], value=value), statement)
        before.append(ast.fix_missing_locations(assign))
        reads.append(ast.copy_location(ast.Name(id=name, ctx=ast.Load()), value))
    reading = copy.copy(statement)
    if isinstance(statement, ast.For):
        reading.iter = ast.copy_location(
            ast.Call(func=statement.iter.func, args=reads, keywords=[]), statement.iter
        )
    else:
        reading.test = reads[0]
    if isinstance(statement, ast.While):  # read again where the next test would be
        reading.body = [*statement.body, copy.deepcopy(before[0])]
    return before, reading


def _is_range(node: ast.AST, resolve) -> bool:
    return (
        isinstance(node, ast.Call)
        and not node.keywords
        and meaning(resolve, node.func) == frontend.Builtin("range")
    )


def has_barrier(statement: ast.stmt, resolve) -> bool:
    """Whether a block barrier (`cuda.syncthreads` and its counting forms) is called anywhere
    in `statement`. Statements around warp functions alone are left to warps.py, which runs
    branches that differ between warps."""
    for node in ast.walk(statement):
        if isinstance(node, ast.Call):
            called = meaning(resolve, node.func)
            if isinstance(called, frontend.Intrinsic) and called.path.startswith("syncthreads"):
                return True
    return False
