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
