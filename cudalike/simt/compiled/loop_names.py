"""One name per loop where a kernel reuses a loop variable's name in several `for` loops.

`for c in range(2)` around barriers and `for c in range(2)` in the threads' own loops are, to
the compiled tier, a block-wide counter and a per-thread one; sharing the name would make the
block's counter assigned by threads, which the translation refuses. When every use of the name
lies in a loop that binds it (no read after a loop, no other assignment, no loop over the name
inside another), the loops are independent and each gets its own name: `c`, `c__loop1`, ...

A name that is also an ordinary variable (PMPP's aggregated histogram: `for b in range(...)`
to clear the bins, `b = pos // 4` in the counting loop, `for b in range(...)` to flush them)
gets a fresh name for each of its loops whose value no later statement can read: a loop
outside every other loop, whose body assigns the name only as its target, and after which
the name is assigned before it is read (a loop of no iteration leaves the old value, so a
later loop over the name neither reads nor assigns it here). The value such a loop leaves is
dead, so the rest of the kernel sees the same numbers under either name.

The vector engine runs the kernel as written; only the compiled translation is renamed.
"""

from __future__ import annotations

import ast

from cudalike.simt import frontend
from cudalike.simt.compiled.flow import assigned_names


def separate_loop_variables(parsed: frontend.ParsedFunction) -> None:
    """Give each `for` loop over a shared, loop-only name a name of its own, in place (the
    translation works on its own copy of the tree)."""
    taken = {node.id for node in ast.walk(parsed.tree) if isinstance(node, ast.Name)}
    taken |= set(parsed.params)
    loops: dict[str, list[ast.For]] = {}
    for node in ast.walk(parsed.tree):
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name):
            loops.setdefault(node.target.id, []).append(node)
    for name, bound in loops.items():
        if name in parsed.params:
            continue
        if _loop_only(parsed.tree, name, bound):
            renamed = bound[1:]
        else:
            renamed = [loop for loop in bound if _dead_after(parsed.tree.body, loop, name)]
        for number, loop in enumerate(renamed, start=1):
            fresh = f"{name}__loop{number}"
            while fresh in taken:
                fresh += "_"
            taken.add(fresh)
            _rename(loop, name, fresh)


def _loop_only(tree: ast.FunctionDef, name: str, loops: list[ast.For]) -> bool:
    """Whether every use of `name` is a loop's target or lies in the body of one such loop,
    no such loop lies inside another, and none has an `else`."""
    if any(loop.orelse for loop in loops):
        return False
    inside: set[int] = set()
    for loop in loops:
        inner = [n for statement in loop.body for n in ast.walk(statement)]
        if any(other in inner for other in loops):
            return False
        inside |= {id(n) for n in inner}
        inside.add(id(loop.target))
    return all(
        id(node) in inside
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == name
    )


def _dead_after(body: list, loop: ast.For, name: str) -> bool:
    """Whether `loop`, outside every other loop, assigns `name` only as its target and the
    value it leaves in `name` is never read: every path after it assigns `name` first."""
    path = _path_to(body, loop)
    if path is None or loop.orelse or any(isinstance(s, (ast.For, ast.While)) for s, _ in path):
        return False
    if name in assigned_names(loop.body):
        return False
    for _, following in reversed([*path, (loop, _siblings_after(path, body, loop))]):
        verdict = _first_touch(following, name)
        if verdict is not None:
            return verdict == "assigned"
    return True


def _path_to(body: list, loop: ast.For) -> list | None:
    """The compound statements from the function down to `loop`, each with the statements
    that follow it in its block, or None where `loop` is not found."""
    for position, statement in enumerate(body):
        if statement is loop:
            return []
        for block in _blocks(statement):
            inner = _path_to(block, loop)
            if inner is not None:
                return [(statement, body[position + 1 :]), *inner]
    return None


def _siblings_after(path: list, body: list, loop: ast.For) -> list:
    """The statements after `loop` in its own block."""
    blocks = _blocks(path[-1][0]) if path else [body]
    block = next(b for b in blocks if any(s is loop for s in b))
    return block[next(i for i, s in enumerate(block) if s is loop) + 1 :]


def _blocks(statement: ast.stmt) -> list[list]:
    return [
        getattr(statement, field)
        for field in ("body", "orelse", "finalbody")
        if isinstance(getattr(statement, field, None), list)
    ]


def _first_touch(statements: list, name: str) -> str | None:
    """ "read" where `statements` may read `name` before assigning it, "assigned" where they
    assign it first on every path, None where they do neither on some path without a read."""
    for statement in statements:
        verdict = _touch(statement, name)
        if verdict is not None:
            return verdict
    return None


def _touch(statement: ast.stmt, name: str) -> str | None:
    if isinstance(statement, ast.If):
        if _reads(statement.test, name):
            return "read"
        branches = [_first_touch(statement.body, name), _first_touch(statement.orelse, name)]
        if "read" in branches:
            return "read"
        return "assigned" if branches == ["assigned", "assigned"] else None
    if isinstance(statement, ast.For):
        if _reads(statement.iter, name) or statement.orelse:
            return "read" if _mentions(statement, name) else None
        own = isinstance(statement.target, ast.Name) and statement.target.id == name
        return "read" if not own and _first_touch(statement.body, name) == "read" else None
    if isinstance(statement, ast.While):
        return "read" if _mentions(statement, name) else None
    if isinstance(statement, ast.Assign) and not _reads(statement.value, name):
        if any(isinstance(t, ast.Name) and t.id == name for t in statement.targets):
            return "assigned"
    return "read" if _mentions(statement, name) else None


def _reads(node: ast.AST, name: str) -> bool:
    return any(
        isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
        for n in ast.walk(node)
    )


def _mentions(node: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


def _rename(loop: ast.For, name: str, fresh: str) -> None:
    for statement in [loop.target, *loop.body]:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and node.id == name:
                node.id = fresh
