"""Read numba-style kernel signatures ("void(float32[:], int32)") to check launch arguments."""

from __future__ import annotations

import functools

import numpy as np


@functools.lru_cache(maxsize=256)
def _argument_types(signature) -> tuple:
    """Per argument: (dtype, ndim) of an array, (dtype, None) of a number, or None."""
    from numba.core import sigutils, types
    from numba.np.numpy_support import as_dtype

    arguments, _ = sigutils.normalize_signature(signature)
    expected = []
    for argument in arguments:
        if isinstance(argument, types.Array):
            expected.append((np.dtype(as_dtype(argument.dtype)), argument.ndim))
        elif isinstance(argument, (types.Integer, types.Float, types.Complex, types.Boolean)):
            expected.append((np.dtype(as_dtype(argument)), None))
        else:
            expected.append(None)
    return tuple(expected)


def _declared(signature, position: int) -> tuple[np.dtype, int | None] | None:
    # As in numba, a list holds several signatures (the first is checked), while a tuple is
    # one signature: its argument types, e.g. `(float32[::1], int32)`.
    if isinstance(signature, list):
        signature = signature[0]
    expected = _argument_types(signature)
    return expected[position] if position < len(expected) else None


def expected_argument(signature, position: int) -> tuple[np.dtype, int] | None:
    """(dtype, ndim) the signature declares for array argument `position`, else None."""
    declared = _declared(signature, position)
    return declared if declared is not None and declared[1] is not None else None


def scalar_argument(signature, position: int, value):
    """`value` converted to the number type the signature declares at `position`, as numba
    converts scalar arguments (a Python int declared `int32` is an int32 in the kernel)."""
    declared = _declared(signature, position)
    if declared is None or declared[1] is not None:
        return value
    dtype = declared[0]
    if dtype.kind in "iu" and isinstance(value, (int, np.integer)):
        return np.array(int(value)).astype(dtype)[()]  # wraps, as C does: 0xFFFFFFFF is -1
    return dtype.type(value)


def choose(signature, args: tuple):
    """The one signature of a list that fits this launch's arguments, as numba dispatches a
    kernel compiled for several: arrays must match exactly; among the rest, the fewest
    number conversions win, safe ones (int64 to float64) before unsafe ones."""
    if not isinstance(signature, list):
        return signature
    if len(signature) == 1:
        return signature[0]
    scored = []
    for position, candidate in enumerate(signature):
        cost = _conversion_cost(_argument_types(candidate), args)
        if cost is not None:
            scored.append((cost, position, candidate))
    if not scored:
        described = ", ".join(_describe(value) for value in args)
        raise TypeError(
            f"No matching definition for argument type(s) {described}: the kernel was "
            f"compiled for {', '.join(str(s) for s in signature)}"
        )
    return min(scored, key=lambda item: item[:2])[2]


def _conversion_cost(expected: tuple, args: tuple) -> int | None:
    if len(expected) != len(args):
        return None
    cost = 0
    for declared, value in zip(expected, args, strict=True):
        value = getattr(value, "value", value)  # cuda.In(array) and the like
        array = getattr(value, "_array", value)
        if declared is None:
            continue
        if isinstance(array, np.ndarray):
            if declared[1] is None or (array.dtype, array.ndim) != declared:
                return None
            continue
        if declared[1] is not None or not isinstance(
            value, (bool, int, float, complex, np.generic)
        ):
            return None
        actual = np.asarray(value).dtype
        if isinstance(value, bool):
            actual = np.dtype(np.bool_)
        if actual != declared[0]:
            cost += 1 if np.can_cast(actual, declared[0], "safe") else 100
    return cost


def _describe(value) -> str:
    array = getattr(getattr(value, "value", value), "_array", getattr(value, "value", value))
    if isinstance(array, np.ndarray):
        return f"array({array.dtype}, {array.ndim}d)"
    return type(value).__name__
