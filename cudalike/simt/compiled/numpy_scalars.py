"""Operations on single numbers as numpy computes them, where numba's own differ.

min() and max() (numpy's NaN rule and order of equal operands, or whichever of numpy's and
Python's answer the vector engine gives; min_max.py), shifts by counts outside [0, 64) and the
int64 minimum // -1. Generated code calls them as `ns.<name>`.
"""

from __future__ import annotations

import math

from numba import njit

INLINED = {"nogil": True, "error_model": "python", "inline": "always"}


@njit(**INLINED)
def minimum(a, b):
    """np.minimum: NaN if either is NaN, else `b` unless `a` is smaller (so -0.0 and 0.0
    give the second, as numpy's loops do)."""
    if a != a:
        return a
    if b != b:
        return b
    return a if a < b else b


@njit(**INLINED)
def maximum(a, b):
    """np.maximum: NaN if either is NaN, else `b` unless `a` is larger."""
    if a != a:
        return a
    if b != b:
        return b
    return a if a > b else b


@njit(**INLINED)
def shift_left(a, b):
    """numpy's `a << b`: 0 for a count outside [0, 64)."""
    return a << b if 0 <= b < 64 else a ^ a


@njit(**INLINED)
def shift_right(a, b):
    """numpy's `a >> b`: the sign (0 or -1) for a count outside [0, 64)."""
    if 0 <= b < 64:
        return a >> b
    return a >> 63 if a < 0 else a ^ a


@njit(**INLINED)
def floor_divide(a, b):
    """numpy's int64 `a // b`: the minimum // -1 wraps to the minimum (numba gives 0)."""
    return -a if b == -1 else a // b


@njit(**INLINED)
def either_max(a, b, a_joined, b_joined):
    """max(a, b) where the vector engine may compute numpy's or Python's (min_max.py): the
    value both give (compared as Python compares), else IndexError (the launch is handed back).
    `a_joined`, `b_joined`: whether the operand's type is the promoted one."""
    if a != a or b != b:
        raise IndexError("max of NaN")
    if b > a and b_joined:
        return b
    if not b > a and a_joined and (a > b or math.copysign(1.0, a) == math.copysign(1.0, b)):
        return a
    raise IndexError("max whose type or value depends on the run")


@njit(**INLINED)
def either_min(a, b, a_joined, b_joined):
    """min(a, b) as either_max."""
    if a != a or b != b:
        raise IndexError("min of NaN")
    if b < a and b_joined:
        return b
    if not b < a and a_joined and (a < b or math.copysign(1.0, a) == math.copysign(1.0, b)):
        return a
    raise IndexError("min whose type or value depends on the run")
