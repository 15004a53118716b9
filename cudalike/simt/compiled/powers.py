"""`x ** y` and `pow(x, y)` in compiled code, as the vector engine computes them.

A numpy value raised to a number written in the kernel is math_calls.power's (numpy's
products, squares and power loop). The others:

- integers to integers (Python ints, numpy integers, either mixed: `2 ** i` with a loop
  variable `i`): Python's power is exact, numpy's wraps in the result type, and both agree
  wherever the exact result fits that type. Compiled code computes it exactly and hands the
  launch back when it does not fit, or when the exponent is negative at run time (a float in
  Python, an error in numpy); a negative exponent written in the kernel is refused unless both
  operands are Python ints (then Python's float power, below);
- Python numbers where one is a float: Python's float power, the C library's `pow` with
  Python's special cases, handed back where Python raises (`0.0 ** -1`, a negative number to
  a fractional power, which is complex in Python, a finite result too large).

A number raised to an exponent the vector engine certainly holds as an array, one number per
lane (`10000.0 ** (-2.0 * pair / d)` of a thread index `pair`), is numpy's power loop whatever
the base, as compiled code computes it (math_calls.loop_power). Another numpy float raised to a
value known only at run time stays on the vector engine: for a single exponent numpy picks
`reciprocal`, `square` or its scalar power by the exponent's value and the base's shape.
"""

from __future__ import annotations

import numpy as np

from cudalike.simt.compiled import math_calls
from cudalike.simt.compiled import numbers as nb
from cudalike.simt.compiled.numbers import NotCompilable

_PYTHON_NUMBERS = (nb.WEAK_INT, nb.WEAK_FLOAT)
_INTEGERS = (nb.WEAK_INT, nb.MAYBE_INT)  # and numpy integers


def power(
    base: tuple, exponent: tuple, lanes: bool, exponent_lanes: bool = False
) -> tuple[str, object]:
    """Code and type of `base ** exponent` ((code, type) pairs); `lanes`, `exponent_lanes`: the
    vector engine certainly holds the base, the exponent, as one number per lane (see
    math_calls.power, lanes.lane_array)."""
    kind, (exponent_code, exponent_kind) = base[1], exponent
    value = math_calls.literal_number(exponent_code, exponent_kind)
    if not nb.is_weak(kind) and value is not None:
        return math_calls.power(base, exponent, lanes)
    nb.numeric(kind)
    nb.numeric(exponent_kind)
    if _integer(kind) and _integer(exponent_kind):
        if value is not None and value < 0:
            if kind == exponent_kind == nb.WEAK_INT:
                return _python_power(base, exponent)
            raise NotCompilable(f"an integer to the negative power {value}")
        return _integer_power(base, exponent)
    if kind in _PYTHON_NUMBERS and exponent_kind in _PYTHON_NUMBERS:
        return _python_power(base, exponent)
    if exponent_lanes and not nb.is_weak(exponent_kind):
        return math_calls.loop_power(base, exponent)
    raise NotCompilable("** of a numpy float to a value known only at run time")


def _integer(kind) -> bool:
    if kind in _INTEGERS:
        return True
    return isinstance(kind, np.dtype) and kind.kind in "iu" and kind != np.dtype(np.uint64)


def _integer_power(base: tuple, exponent: tuple) -> tuple[str, object]:
    """An integer power, exact, in the type numpy (or Python) gives it; each operand converted
    to that type first, as numpy converts a Python int (one that does not fit is refused or
    handed back, as the vector engine reports it)."""
    kind = nb.combine(base[1], exponent[1])
    if isinstance(kind, np.dtype):
        info = np.iinfo(kind)
        low, high = int(info.min), int(info.max)
    else:
        low, high = -(2**63), 2**63 - 1
    wide = [nb.cast(nb.cast(code, k, kind), kind, nb.INT64) for code, k in (base, exponent)]
    code = f"ns.integer_power({wide[0]}, {wide[1]}, {low}, {high})"
    return nb.cast(code, nb.INT64, kind), kind


def _python_power(base: tuple, exponent: tuple) -> tuple[str, object]:
    """Python's power of two Python numbers, one a float (or an int to a negative int, which
    Python computes in floats): a Python float."""
    wide = [nb.cast(code, kind, nb.FLOAT64) for code, kind in (base, exponent)]
    return f"ns.python_power({wide[0]}, {wide[1]})", nb.WEAK_FLOAT
