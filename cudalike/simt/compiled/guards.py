"""A kernel's leading `if ...: return` guards, before its warp functions, as `if`/`else`.

`if row >= n: return` then statements with shuffles or votes reads, in the vector engine, as
"the lanes past the end leave, the others go on". Written as `if row >= n: pass else: ...`,
the rest is an `if` around warp functions (warps.py) whose second branch runs with the lanes
that stayed: a vote misses the lanes that left, as on the vector engine, and a shuffle from a
lane that left, whose value compiled code does not have, hands the launch back.

Only guards at the kernel's top level are rewritten, each an `if` without `else` ending in a
plain `return` (statements before it are kept in the branch), before any warp function. A
lane's guard (`if i >= n: return`) divides the last warp whenever `n` is not a multiple of 32,
which the `if` runs as it runs any branch dividing a warp; in a kernel with block barriers
(`cuda.syncthreads`), where an `if` around the rest would be a barrier the lanes that left
never reach, only guards meant for whole warps are rewritten: their condition reads the
thread's position only through a warp's or a block's number (`cuda.grid(1) // 32`,
`blockIdx`). Any other `return` keeps a kernel with warp functions on the vector engine.
"""

from __future__ import annotations

import ast
import copy

from cudalike.simt import frontend
from cudalike.simt.compiled import warps
from cudalike.simt.compiled.barrier_reads import has_barrier
from cudalike.simt.compiled.flow import meaning, with_body


def else_for_guards(parsed: frontend.ParsedFunction, resolver) -> frontend.ParsedFunction:
    """`parsed` with its leading return guards written as `if`/`else` around the rest."""
    body = _guarded(parsed.tree.body, _WarpCalls(resolver), resolver, parsed.params)
    return with_body(parsed, body)


class _WarpCalls:
    def __init__(self, resolver):
        self.resolver = resolver

    def any_in(self, statements: list) -> bool:
        """Whether `statements` call a warp function (syncwarp alone is not one: it allows a
        `return`)."""
        for node in ast.walk(ast.Module(body=list(statements), type_ignores=[])):
            if isinstance(node, ast.Call):
                called = meaning(self.resolver.resolve, node.func)
                if isinstance(called, frontend.Intrinsic) and called.path in warps.WARP_CALLS:
                    return True
        return False


def _guarded(statements: list, calls: _WarpCalls, resolver, params: list) -> list:
    for index, statement in enumerate(statements):
        if not _is_guard(statement):
            continue
        before, rest = statements[:index], statements[index + 1 :]
        if calls.any_in(before) or calls.any_in([statement]) or not calls.any_in(rest):
            return statements
        barriers = any(has_barrier(s, resolver.resolve) for s in statements)
        if barriers and not _WarpLevel(resolver, params, before).of(statement.test):
            return statements
        branch = copy.copy(statement)
        leaving = statement.body[-1]
        branch.body = statement.body[:-1] or [ast.copy_location(ast.Pass(), leaving)]
        branch.orelse = _guarded(rest, calls, resolver, params)
        return [*before, branch]
    return statements


def _is_guard(statement: ast.stmt) -> bool:
    """`if ...: [statements] return` without `else`, no other `return` in it."""
    if not isinstance(statement, ast.If) or statement.orelse:
        return False
    last = statement.body[-1]
    if not isinstance(last, ast.Return) or last.value is not None:
        return False
    inner = ast.Module(body=statement.body[:-1], type_ignores=[])
    return not any(isinstance(node, ast.Return) for node in ast.walk(inner))


class _WarpLevel:
    """Whether an expression reads the thread's position only through its warp's or block's
    number: constants, parameters, shapes, `blockIdx`/`blockDim`/`gridDim`, `x // 32` (any
    multiple of 32), and variables assigned once, before, from such expressions."""

    def __init__(self, resolver, params: list, before: list):
        self.resolver = resolver
        self.params = set(params)
        assignments: dict[str, list] = {}
        for node in ast.walk(ast.Module(body=list(before), type_ignores=[])):
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.For)):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name):
                            assignments.setdefault(name.id, []).append(node)
        # the names assigned once, by a top-level `name = value`: their value at the guard
        self.values = {
            name: only.value
            for name, (only, *others) in assignments.items()
            if not others and only in before and isinstance(only.targets[0], ast.Name)
        }
        self.assigned = set(assignments)
        self.seen: set[str] = set()

    def of(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Constant):
            return True
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.FloorDiv):
            divisor = node.right
            if isinstance(divisor, ast.Constant) and isinstance(divisor.value, int):
                if divisor.value > 0 and divisor.value % 32 == 0:
                    return True
        if isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Compare, ast.BoolOp)):
            parts = [part for part in ast.iter_child_nodes(node) if isinstance(part, ast.expr)]
            return all(self.of(part) for part in parts)
        if isinstance(node, ast.Subscript):  # x.shape[k]
            return isinstance(node.value, ast.Attribute) and node.value.attr == "shape"
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.value.id in self.params:
                return node.attr in ("shape", "size")
            meaning = self._meaning(node)
            group = getattr(meaning, "path", "").split(".")[0]
            return group in ("blockIdx", "blockDim", "gridDim", "warpsize")
        return False

    def _name(self, node: ast.Name) -> bool:
        if node.id in self.params:
            return True
        if node.id in self.values and node.id not in self.seen:
            self.seen.add(node.id)
            return self.of(self.values[node.id])
        if node.id in self.assigned:
            return False
        return isinstance(self._meaning(node), frontend.Constant)

    def _meaning(self, node: ast.AST):
        return meaning(self.resolver.resolve, node)
