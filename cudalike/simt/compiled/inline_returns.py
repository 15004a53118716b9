"""The `return`s of a device function written into the kernel, as assignments, a flag and breaks.

A body inlined by inline.py cannot say `return`: that would end the kernel. So each `return
value` becomes `d<n>_value = value` and `d<n>_done = True`, followed by `break` inside a loop of
the function; after a loop holding a return, `if d<n>_done: break` leaves the loop around it,
and outside the function's loops the statements after a statement holding a return run under
`if not d<n>_done:`. The caller then reads `d<n>_value`. These are the vector engine's own
masks: there, a lane that returns leaves the active mask of every statement and loop that
follows in the function, as a lane that breaks leaves its loop, so results and reports are
unchanged. A `for` loop is counted in full when it starts (codegen.py), more than the
iterations a lane that returns runs, so a launch near the loop budget may be handed back where
the vector engine finishes it: slower, never different.

The vector engine gives the first return a lane reaches as it is and merges later ones under
the mask (`np.where`), as the kernel's assignments to a variable are merged. The value
variable starts, at the call, as a Python number of the returns' kind (`False` for returns of
truth values, else `0`), so every path assigns it before the caller reads it: returns of one
numpy type keep that type, Python numbers are held as the kernel holds a variable assigned
them under a mask, and a mix of the two is refused by the kernel's rules for variables that
start as Python numbers.
"""

from __future__ import annotations

import ast
import copy

from cudalike.simt.compiled.numbers import NotCompilable


def has_return(statements: list) -> bool:
    return any(isinstance(n, ast.Return) for s in statements for n in ast.walk(s))


def always_returns(statements: list) -> bool:
    """Whether every path through `statements` ends at a `return` (a last `return`, or a last
    `if`/`else` whose branches all do)."""
    if not statements:
        return False
    last = statements[-1]
    if isinstance(last, ast.Return):
        return True
    return isinstance(last, ast.If) and always_returns(last.body) and always_returns(last.orelse)


def returned_values(statements: list) -> list:
    """The value of every `return` in `statements` (None for a bare `return`)."""
    return [n.value for s in statements for n in ast.walk(s) if isinstance(n, ast.Return)]


def lowered(body: list, prefix: str, width: int | None, at: ast.AST) -> tuple[list, list[str]]:
    """`body` (the renamed statements of one inlined call) without its returns; and the names
    holding the returned value (one per element of a returned tuple of `width` elements, one for
    a single value, none when `width` is 0: bare returns only)."""
    values = returned_values(body)
    if width is None:
        names = [f"{prefix}value"]
    else:
        names = [f"{prefix}value{index}" for index in range(width)]
    if width == 0:
        names = []
    columns = [[_element(value, index, width) for value in values] for index in range(len(names))]
    start = [_assign(at, "done", prefix, ast.Constant(False))]
    for name, column in zip(names, columns, strict=True):
        start.append(_assign(at, name, "", ast.Constant(False if _truths(column) else 0)))
    return [*start, *_Lowering(prefix, names, width).block(body, in_loop=False)], names


def _element(value, index: int, width: int | None) -> ast.expr:
    if width is None:
        if value is None or isinstance(value, ast.Tuple):
            raise NotCompilable("a device function returning a tuple, or nothing, as one value")
        return value
    if not isinstance(value, ast.Tuple) or len(value.elts) != width:
        raise NotCompilable(f"a device function not returning {width} values on every path")
    element = value.elts[index]
    if isinstance(element, ast.Starred):
        raise NotCompilable("a device function returning a starred tuple")
    return element


def _truths(values: list) -> bool:
    """Whether every value is a truth value (True/False, a comparison, `not`, `and`/`or`)."""
    return all(
        (isinstance(v, ast.Constant) and isinstance(v.value, bool))
        or isinstance(v, (ast.Compare, ast.BoolOp))
        or (isinstance(v, ast.UnaryOp) and isinstance(v.op, ast.Not))
        for v in values
    )


def _assign(at: ast.AST, name: str, prefix: str, value: ast.expr) -> ast.Assign:
    target = ast.Name(id=prefix + name, ctx=ast.Store())
    return ast.fix_missing_locations(ast.copy_location(ast.Assign([target], value), at))


class _Lowering:
    """Rewrites one body's returns (see the module's docstring)."""

    def __init__(self, prefix: str, names: list[str], width: int | None):
        self.done = f"{prefix}done"
        self.names = names
        self.width = width

    def block(self, statements: list, in_loop: bool) -> list:
        out = []
        for position, statement in enumerate(statements):
            if isinstance(statement, ast.Return):
                if position != len(statements) - 1:
                    raise NotCompilable("statements after a return in a device function")
                return out + self._return(statement, in_loop)
            if not has_return([statement]):
                out.append(statement)
                continue
            out.append(self._compound(statement, in_loop))
            rest = statements[position + 1 :]
            if in_loop:
                if isinstance(statement, (ast.For, ast.While)):
                    out.append(self._test(statement, self._flag(statement), [ast.Break()]))
                return out + self.block(rest, in_loop)
            if rest:
                flag = ast.UnaryOp(op=ast.Not(), operand=self._flag(rest[0]))
                out.append(self._test(rest[0], flag, self.block(rest, in_loop)))
            return out
        return out

    def _compound(self, statement: ast.stmt, in_loop: bool) -> ast.stmt:
        if not isinstance(statement, (ast.If, ast.For, ast.While)):
            raise NotCompilable(f"a return inside {type(statement).__name__}")
        if not isinstance(statement, ast.If) and statement.orelse:
            raise NotCompilable("a loop with else in a device function")
        inside = in_loop or not isinstance(statement, ast.If)
        statement = copy.copy(statement)
        statement.body = self.block(statement.body, inside) or [ast.Pass()]
        statement.orelse = self.block(statement.orelse, inside)
        return statement

    def _return(self, node: ast.Return, in_loop: bool) -> list:
        if not self.names:
            values = []
        else:  # checked by _element
            values = [node.value] if self.width is None else node.value.elts
        out = [_assign(node, name, "", v) for name, v in zip(self.names, values, strict=True)]
        out.append(_assign(node, self.done, "", ast.Constant(True)))
        if in_loop:
            out.append(ast.copy_location(ast.Break(), node))
        return out

    def _flag(self, at: ast.AST) -> ast.Name:
        return ast.copy_location(ast.Name(id=self.done, ctx=ast.Load()), at)

    @staticmethod
    def _test(at: ast.AST, test: ast.expr, body: list) -> ast.If:
        return ast.fix_missing_locations(ast.copy_location(ast.If(test, body, []), at))
