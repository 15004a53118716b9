"""`cuda.reduce` / `cuda.Reduce`: numba.cuda's whole-array reduction with a binary function.

    sum_reduce = cuda.reduce(lambda a, b: a + b)
    total = sum_reduce(values, init=0)

Differences: numba compiles the function into a tree-reduction kernel; cudalike applies it on
the host, element by element, as numba's own simulator does. The result is the same for an
associative function on exact values; it is not a kernel launch, so the profiler does not
see it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np


class Reduce:
    """A reduction with the binary function `functor` (a Python or device function)."""

    def __init__(self, functor: Callable):
        self._functor = getattr(functor, "py_func", functor)

    def __call__(self, arr, size: int | None = None, res=None, init=0, stream=0):
        """Reduce the 1-D array `arr` (its first `size` elements), starting from `init`.

        Returns the result, or None after writing it to `res[0]` when `res` is given.
        """
        host = arr.copy_to_host() if hasattr(arr, "copy_to_host") else np.asarray(arr)
        if host.ndim != 1:
            raise TypeError("only support 1D array")
        if size is not None:
            host = host[:size]
        start = host.dtype.type(init)
        result = host.dtype.type(functools.reduce(self._functor, host, start))
        if res is not None:
            res[0] = result
            return None
        return result


reduce = Reduce
