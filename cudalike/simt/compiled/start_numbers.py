"""The numbers a variable that starts as a Python number may hold where the vector engine has
not replaced it yet (literals, constants the kernel resolves, Python's arithmetic on them), and
how numpy converts them: what weak_reads.py compares when it judges a read of such a variable.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable

import numpy as np

from cudalike.simt import frontend
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.numbers import NotCompilable

BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.BitAnd: operator.and_,
    ast.BitOr: operator.or_,
    ast.BitXor: operator.xor,
}
UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}


class Double:
    """The value of a part that also reads Python floats not known when compiling (`s * h`
    after `s = 0.0`, `h = 1.0 / n`): a Python float on the vector engine, the same float64
    in compiled code."""


DOUBLE = Double()


def cast(kernel, call: ast.Call) -> np.dtype | None:
    """The dtype `call` casts to, or None."""
    try:
        target = getattr(kernel.resolve(call.func), "value", None)
    except NotCompilable:
        return None
    return target if isinstance(target, np.dtype) else None


def kind_of(kernel, node: ast.AST):
    try:
        return kernel.expr(node)[1]
    except NotCompilable:
        return None


def number(kernel, node: ast.AST) -> int | float | None:
    """The number a literal, a constant the kernel resolves (`math.inf`, a module's global) or
    Python's arithmetic on those (`-1`, `BINS - 1`) gives, or None."""
    if isinstance(node, ast.UnaryOp) and type(node.op) in UNARY:
        value = number(kernel, node.operand)
        return None if value is None else UNARY[type(node.op)](value)
    if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
        left, right = number(kernel, node.left), number(kernel, node.right)
        if left is None or right is None:
            return None
        try:
            value = BINARY[type(node.op)](left, right)
        except (ArithmeticError, TypeError, ValueError):
            return None
    elif isinstance(node, ast.Constant):
        value = node.value
    elif isinstance(node, (ast.Name, ast.Attribute)):
        names = kernel.locals | set(kernel.scalars) | set(kernel.arrays)
        if isinstance(node, ast.Name) and node.id in names:
            return None
        try:
            meaning = kernel.resolve(node)
        except NotCompilable:
            return None
        value = getattr(meaning, "value", None) if isinstance(meaning, frontend.Constant) else None
    else:
        return None
    return value if type(value) in (int, float) else None  # not bools, not numpy scalars


def holds(dtype: np.dtype, value) -> bool:
    """Whether `dtype` holds `value` exactly."""
    if value is DOUBLE:
        return dtype == nb.FLOAT64
    if dtype == nb.BOOL:
        return True
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return float(value).is_integer() and info.min <= value <= info.max
    return bool(dtype.type(value) == value)


def same_number(python, typed) -> bool:
    """Whether the numpy scalar `typed` is the Python number `python` exactly."""
    if python is DOUBLE:
        return typed is DOUBLE
    if isinstance(python, float) and math.isnan(python):
        return bool(np.isnan(typed))
    return typed.item() == python


def bits(value, dtype: np.dtype) -> bytes | None:
    """The bytes of `value` (a Python number or a numpy scalar) converted to `dtype` as numpy
    converts an operand, or None where numpy would refuse or the conversion may round twice
    (an unknown double: no bytes, the same on both tiers, for a float type)."""
    if value is DOUBLE:
        return b"" if dtype.kind == "f" else None
    if isinstance(value, (int, float)):
        if (isinstance(value, int) or dtype.kind in "iu") and not holds(dtype, value):
            return None
        return np.asarray(value, dtype=dtype).tobytes()
    if value.dtype.kind == "f" and dtype.kind in "iu" and not holds(dtype, value.item()):
        return None
    with np.errstate(all="ignore"):
        return np.asarray(value).astype(dtype).tobytes()


# range() stops up to this value: the least stop at which a loop runs once is at most this
_STOP_LIMIT = 2**63 - 2


def stop_check(kernel, loop: ast.For) -> tuple[ast.AST, Callable[[], str]] | None:
    """(the stop of `for _ in range(...)`, a function giving the code of the bounds a stop at
    which the loop runs at least once lies in), for a loop with a known positive step and a
    start of names, attributes and arithmetic; None for any other loop. Compiled code checks
    the stop at run time (`rt.fits(stop, bounds)`, which hands the launch back outside them);
    the bounds are written when the loop is (a name's code depends on where it is read)."""
    call = loop.iter
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)) or call.keywords:
        return None
    if call.func.id != "range" or not 1 <= len(call.args) <= 3:
        return None
    step = number(kernel, call.args[2]) if len(call.args) == 3 else 1
    if not isinstance(step, int) or step <= 0:
        return None
    stop = call.args[1] if len(call.args) > 1 else call.args[0]
    start = call.args[0] if len(call.args) > 1 else ast.Constant(value=0)
    known = number(kernel, start)
    if isinstance(known, int):
        return stop, lambda: f"{min(known + 1, _STOP_LIMIT + 1)}, {_STOP_LIMIT}"
    if any(isinstance(n, (ast.Subscript, ast.Call)) for n in ast.walk(start)):
        return None  # evaluated twice: only names, attributes and arithmetic
    if not nb.is_integer(kind_of(kernel, start)):
        return None

    def bounds() -> str:
        code, kind = kernel.expr(start)
        return f"min({nb.cast(code, kind, nb.INT64)}, {_STOP_LIMIT - 1}) + 1, {_STOP_LIMIT}"

    return stop, bounds


def convert(name: str, value):
    """`int(value)` or `float(value)` as the vector engine computes it: Python's for a Python
    number, int64 (truncated) or float64 for a numpy one."""
    if not isinstance(value, np.generic):  # np.float64 is a Python float too
        return int(value) if name == "int" else float(value)
    if name == "float":
        return np.float64(value)
    if not np.isfinite(value):
        raise ValueError("int() of a number that is not finite")
    return np.int64(np.trunc(value))
