"""Memory fences, which compiled code needs no instruction for, replaced by `pass`.

`cuda.threadfence()` (and its `_block` and `_system` forms) orders a thread's memory accesses
as seen by other threads. Compiled code runs the threads of a launch one after another, so
every access is seen in program order already. The vector engine counts fences only to exempt
a read of another block's write published by a fence and an atomic (the "last block" pattern)
from its global race check; the compiled check knows no such exemption, so it reports such a
read and the vector engine runs the launch: the reports stay the vector engine's.
"""

from __future__ import annotations

import ast
import copy

from cudalike.simt import frontend
from cudalike.simt.compiled.flow import with_body

_FENCES = {frontend.Intrinsic(f"threadfence{kind}") for kind in ("", "_block", "_system")}


def drop_fences(parsed: frontend.ParsedFunction, resolver) -> frontend.ParsedFunction:
    """`parsed` with every fence statement replaced by `pass` on its line."""
    body = _statements(parsed.tree.body, resolver)
    return with_body(parsed, body)


def _statements(statements: list, resolver) -> list:
    out, changed = [], False
    for statement in statements:
        if _is_fence(statement, resolver):
            out.append(ast.copy_location(ast.Pass(), statement))
            changed = True
            continue
        for field in ("body", "orelse"):
            inner = getattr(statement, field, None)
            if inner:
                rewritten = _statements(inner, resolver)
                if rewritten is not inner:
                    statement = copy.copy(statement)
                    setattr(statement, field, rewritten)
                    changed = True
        out.append(statement)
    return out if changed else statements


def _is_fence(statement: ast.stmt, resolver) -> bool:
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return False
    call = statement.value
    try:
        meaning = resolver.resolve(call.func)
    except Exception:  # noqa: BLE001 - an unknown name is refused by the translation
        return False
    return meaning in _FENCES and not call.args and not call.keywords
