"""Memory fences, which compiled code needs no instruction for, replaced by a marked `pass`.

`cuda.threadfence()` (and its `_block` and `_system` forms) orders a thread's memory accesses
as seen by other threads. Compiled code runs the threads of a launch one after another, so
every access is seen in program order already. The vector engine counts fences only to exempt
a read of another block's write published by a fence and an atomic (the "last block" pattern)
from its global race check; compiled code counts them for the same end when checks are on and
a read may need it (publication.py), and otherwise writes the marker as `pass`.
"""

from __future__ import annotations

import ast

from cudalike.simt import frontend
from cudalike.simt.compiled.flow import meaning, rewritten, with_body

_FENCES = {frontend.Intrinsic(f"threadfence{kind}") for kind in ("", "_block", "_system")}


def is_fence(statement: ast.stmt) -> bool:
    """Whether `statement` is the `pass` a fence of any of the three kinds became (the vector
    engine counts them alike); every pass that does not look for fences sees a `pass`."""
    return isinstance(statement, ast.Pass) and getattr(statement, "fence", False)


def drop_fences(parsed: frontend.ParsedFunction, resolver) -> frontend.ParsedFunction:
    """`parsed` with every fence statement replaced by a marked `pass` on its line."""
    body = rewritten(parsed.tree.body, lambda s: ([], _without_fence(s, resolver.resolve)))
    return with_body(parsed, body)


def _without_fence(statement: ast.stmt, resolve) -> ast.stmt:
    """A marked `pass` on the fence's line for a fence statement, else the statement itself."""
    if _is_fence_call(statement, resolve):
        mark = ast.copy_location(ast.Pass(), statement)
        mark.fence = True
        return mark
    return statement


def _is_fence_call(statement: ast.stmt, resolve) -> bool:
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return False
    call = statement.value
    return meaning(resolve, call.func) in _FENCES and not call.args and not call.keywords
