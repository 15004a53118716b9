"""Turn a dtype as a learner writes it (numpy, Python, string or numba type) into a numpy dtype.

numba.cuda code spells element types in several ways: `np.float32`, `"float32"`, `float`,
or numba's own `from numba import float32`. Host allocations and the kernel engine both call
`as_numpy_dtype` so that every spelling means the same thing everywhere.
"""

from __future__ import annotations

import numpy as np


def as_numpy_dtype(obj: object) -> np.dtype:
    """Return the numpy dtype that `obj` names.

    Accepts numpy dtypes and scalar types (`np.float32`), Python types (`float`, `int`,
    `bool`, `complex`), strings (`"float32"`, `"f4"`, `"int64"`) and numba's scalar types
    (`from numba import float32`). numba is imported only when `obj` comes from a numba
    module, so cudalike works without numba installed.

    Args:
        obj: the dtype as the learner wrote it.

    Returns:
        The numpy dtype.

    Raises:
        TypeError: `obj` is None, an object array type, a numba type with no numpy
            equivalent (an array type such as `float32[:]`), or anything else that does not
            name an element type.

    Example:
        >>> as_numpy_dtype("float32")
        dtype('float32')
        >>> as_numpy_dtype(int)
        dtype('int64')
    """
    if obj is None:
        raise TypeError(
            "dtype=None is not an element type; pass one such as np.float32, 'float32' "
            "or numba's float32"
        )
    if type(obj).__module__.split(".")[0] == "numba":
        dtype = _numba_type_to_dtype(obj)
    else:
        try:
            dtype = np.dtype(obj)
        except TypeError as error:
            raise TypeError(
                f"{obj!r} is not an element type; pass a numpy dtype (np.float32), a string "
                "('float32'), a Python type (float) or a numba type (numba.float32)"
            ) from error
    if dtype.hasobject:
        raise TypeError(
            f"dtype {dtype} holds Python objects, which cannot live in GPU memory; "
            "use a numeric dtype such as np.float32"
        )
    return dtype


def _numba_type_to_dtype(obj: object) -> np.dtype:
    """Convert a numba type (numba.float32, numba.types.int8...) with numba's own table."""
    from numba.np.numpy_support import as_dtype

    try:
        return as_dtype(obj)
    except Exception as error:  # numba raises its own NumbaNotImplementedError here
        raise TypeError(
            f"numba type {obj} has no numpy element type; pass a scalar type such as "
            "numba.float32 (array types like float32[:] describe arguments, not elements)"
        ) from error
