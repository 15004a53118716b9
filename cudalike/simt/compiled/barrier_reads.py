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
import itertools

from cudalike.simt import frontend
from cudalike.simt.compiled.flow import with_body


def read_before_barriers(parsed: frontend.ParsedFunction, resolver) -> frontend.ParsedFunction:
    """`parsed` with the element reads of barrier statements' ranges and tests moved out."""
    taken = {n.id for n in ast.walk(parsed.tree) if isinstance(n, ast.Name)} | set(parsed.params)
    names = (f"bound{n}" for n in itertools.count(1) if f"bound{n}" not in taken)
    body = _statements(parsed.tree.body, resolver, names)
    return with_body(parsed, body)


def _statements(statements: list, resolver, names) -> list:
    out, changed = [], False
    for statement in statements:
        before, rewritten = _moved(statement, resolver, names)
        for field in ("body", "orelse"):
            inner = getattr(rewritten, field, None)
            if inner:
                new_inner = _statements(inner, resolver, names)
                if new_inner is not inner:
                    rewritten = copy.copy(rewritten) if rewritten is statement else rewritten
                    setattr(rewritten, field, new_inner)
        out += [*before, rewritten]
        changed |= rewritten is not statement
    return out if changed else statements


def _moved(statement: ast.stmt, resolver, names) -> tuple[list, ast.stmt]:
    """(assignments to put before `statement`, the statement reading them instead)."""
    if isinstance(statement, ast.For) and _is_range(statement.iter, resolver):
        values = statement.iter.args
    elif isinstance(statement, ast.If) or _rereadable(statement):
        values = [statement.test]
    else:
        return [], statement
    if not any(isinstance(n, ast.Subscript) for v in values for n in ast.walk(v)):
        return [], statement
    if not _has_barrier(statement, resolver):
        return [], statement
    before, reads = [], []
    for value in values:
        name = next(names)
        target = ast.copy_location(ast.Name(id=name, ctx=ast.Store()), statement)
        assign = ast.copy_location(ast.Assign(targets=[target], value=value), statement)
        before.append(ast.fix_missing_locations(assign))
        reads.append(ast.copy_location(ast.Name(id=name, ctx=ast.Load()), value))
    rewritten = copy.copy(statement)
    if isinstance(statement, ast.For):
        rewritten.iter = ast.copy_location(
            ast.Call(func=statement.iter.func, args=reads, keywords=[]), statement.iter
        )
    else:
        rewritten.test = reads[0]
    if isinstance(statement, ast.While):  # read again where the next test would be
        rewritten.body = [*statement.body, copy.deepcopy(before[0])]
    return before, rewritten


def _rereadable(statement: ast.stmt) -> bool:
    """A `while` without `else` whose body has no `continue` of its own: its test can be read
    once before the loop and again at the end of each iteration."""
    if not isinstance(statement, ast.While) or statement.orelse:
        return False
    pending = list(statement.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Continue):
            return False
        if not isinstance(node, (ast.For, ast.While, ast.FunctionDef, ast.Lambda)):
            pending.extend(ast.iter_child_nodes(node))
    return True


def _meaning(node: ast.AST, resolver):
    try:
        return resolver.resolve(node)
    except Exception:  # noqa: BLE001 - an unknown name is refused by the translation
        return None


def _is_range(node: ast.AST, resolver) -> bool:
    return (
        isinstance(node, ast.Call)
        and not node.keywords
        and _meaning(node.func, resolver) == frontend.Builtin("range")
    )


def _has_barrier(statement: ast.stmt, resolver) -> bool:
    """Whether a block barrier (`cuda.syncthreads` and its counting forms) is called anywhere
    in `statement`. Statements around warp functions alone are left to warps.py, which runs
    branches that differ between warps."""
    for node in ast.walk(statement):
        if isinstance(node, ast.Call):
            meaning = _meaning(node.func, resolver)
            if isinstance(meaning, frontend.Intrinsic) and meaning.path.startswith("syncthreads"):
                return True
    return False
