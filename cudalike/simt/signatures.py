"""Read numba-style kernel signatures ("void(float32[:], int32)") to check launch arguments."""

from __future__ import annotations

import functools

import numpy as np


@functools.lru_cache(maxsize=256)
def _argument_types(signature) -> tuple:
    from numba.core import sigutils, types
    from numba.np.numpy_support import as_dtype

    arguments, _ = sigutils.normalize_signature(signature)
    expected = []
    for argument in arguments:
        if isinstance(argument, types.Array):
            expected.append((np.dtype(as_dtype(argument.dtype)), argument.ndim))
        else:
            expected.append(None)
    return tuple(expected)


def expected_argument(signature, position: int) -> tuple[np.dtype, int] | None:
    """(dtype, ndim) the signature declares for array argument `position`, else None.

    As in numba, a list holds several signatures (the first is checked), while a tuple is one
    signature: its argument types, e.g. `(float32[::1], int32)`.
    """
    if isinstance(signature, list):
        signature = signature[0]
    expected = _argument_types(signature)
    return expected[position] if position < len(expected) else None
