"""One name per loop where a kernel reuses a loop variable's name in several `for` loops.

`for c in range(2)` around barriers and `for c in range(2)` in the threads' own loops are, to
the compiled tier, a block-wide counter and a per-thread one; sharing the name would make the
block's counter assigned by threads, which the translation refuses. When every use of the name
lies in a loop that binds it (no read after a loop, no other assignment, no loop over the name
inside another), the loops are independent and each gets its own name: `c`, `c__loop1`, ...
The vector engine runs the kernel as written; only the compiled translation is renamed.
"""

from __future__ import annotations

import ast

from cudalike.simt import frontend


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
        if len(bound) < 2 or name in parsed.params or not _loop_only(parsed.tree, name, bound):
            continue
        for number, loop in enumerate(bound[1:], start=1):
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


def _rename(loop: ast.For, name: str, fresh: str) -> None:
    for statement in [loop.target, *loop.body]:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and node.id == name:
                node.id = fresh
