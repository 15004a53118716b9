"""Size expressions of an exercise: `"n"`, `"rows * cols"`, `"ceil_div(n, 256)"`.

Shapes and launch configurations in `exercise.toml` are integer arithmetic over the size
variables. They are parsed once with `ast` into an `Expr` that allows only integer constants,
the size variables, `+ - * // %`, unary minus, parentheses and the functions `ceil_div`, `min`
and `max`; everything else (attributes, other calls, floats, strings) is refused when the
exercise is loaded, so evaluating one can never run arbitrary code.
"""

from __future__ import annotations

import ast
import dataclasses
import operator
from collections.abc import Callable, Mapping

_BINARY: dict[type, Callable[[int, int], int]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}

_FUNCTIONS: dict[str, Callable[..., int]] = {
    "ceil_div": lambda a, b: -(-a // b),
    "min": min,
    "max": max,
}


class ExpressionError(ValueError):
    """An expression uses something other than integer arithmetic over the size variables."""


@dataclasses.dataclass(frozen=True)
class Expr:
    """A checked integer expression over size variables.

    Attributes:
        source: the text as written in exercise.toml (an int is kept as its decimal text).
        names: the size variables it reads.
    """

    source: str
    names: frozenset[str]
    _tree: ast.expr = dataclasses.field(repr=False, compare=False)

    def evaluate(self, size: Mapping[str, int]) -> int:
        """The value for one size, e.g. `Expr("n + 1").evaluate({"n": 4}) == 5`.

        Raises:
            ExpressionError: a variable is missing from `size`, or a division by zero.
        """
        return _evaluate(self._tree, size, self.source)


def parse(value: object, variables: frozenset[str]) -> Expr:
    """Check `value` (an int or an expression string) and return it as an `Expr`.

    Args:
        value: what the TOML file holds, e.g. 256 or "ceil_div(n, 256)".
        variables: the size variables the expression may read.

    Returns:
        The parsed expression.

    Raises:
        ExpressionError: the value is not an int or a string of allowed arithmetic; the message
            says which part is not allowed.

    Example:
        >>> parse("ceil_div(n, 256)", frozenset({"n"})).evaluate({"n": 1000})
        4
    """
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ExpressionError(f"{value!r} is not an integer or an expression string")
    source = str(value)
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as error:
        raise ExpressionError(f"{source!r} is not a valid expression: {error.msg}") from None
    names = _check(tree, variables, source)
    return Expr(source, frozenset(names), tree)


def _check(node: ast.expr, variables: frozenset[str], source: str) -> set[str]:
    """The size variables `node` reads; raise on anything outside the allowed arithmetic."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int):
            raise ExpressionError(f"{source!r}: only integer constants are allowed")
        return set()
    if isinstance(node, ast.Name):
        if node.id not in variables:
            known = ", ".join(sorted(variables)) or "none"
            raise ExpressionError(
                f"{source!r}: {node.id!r} is not a size variable (size variables: {known})"
            )
        return {node.id}
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _check(node.left, variables, source) | _check(node.right, variables, source)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _check(node.operand, variables, source)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id not in _FUNCTIONS or node.keywords or not node.args:
            allowed = ", ".join(_FUNCTIONS)
            raise ExpressionError(f"{source!r}: calls are limited to {allowed} with arguments")
        names: set[str] = set()
        for argument in node.args:
            names |= _check(argument, variables, source)
        return names
    construct = ast.unparse(node)
    raise ExpressionError(
        f"{source!r}: {construct!r} is not allowed (integers, size variables, + - * // %, "
        "ceil_div, min, max)"
    )


def _evaluate(node: ast.expr, size: Mapping[str, int], source: str) -> int:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id not in size:
            raise ExpressionError(f"{source!r}: no value for size variable {node.id!r}")
        return int(size[node.id])
    if isinstance(node, ast.BinOp):
        left = _evaluate(node.left, size, source)
        right = _evaluate(node.right, size, source)
        if isinstance(node.op, ast.FloorDiv | ast.Mod) and right == 0:
            raise ExpressionError(f"{source!r}: division by zero")
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp):
        return -_evaluate(node.operand, size, source)
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)  # checked in _check
    arguments = [_evaluate(argument, size, source) for argument in node.args]
    if node.func.id == "ceil_div" and (len(arguments) != 2 or arguments[1] == 0):
        raise ExpressionError(f"{source!r}: ceil_div takes two arguments, the second non-zero")
    return _FUNCTIONS[node.func.id](*arguments)
