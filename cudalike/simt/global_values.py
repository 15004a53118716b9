"""What a kernel's free names hold: numba.cuda objects, dtypes and the functions kernels call.

The front end's Resolver asks these questions of each global it freezes.
"""

from __future__ import annotations

import numpy as np

from cudalike.simt.markers import KERNEL_NAMES
from cudalike.simt.math_functions import math_function


def is_kernel_function(value) -> bool:
    """A function a kernel may call: a math, numpy or operator function numba compiles."""
    try:
        return callable(value) and math_function(value) is not None
    except TypeError:  # unhashable
        return False


def numba_cuda_name(value) -> str | None:
    """Map an object taken from numba.cuda (e.g. `from numba.cuda import threadIdx`) to its name."""
    module = getattr(type(value), "__module__", "") or ""
    if not module.startswith("numba"):
        return None
    try:
        from numba import cuda as numba_cuda
    except ImportError:  # pragma: no cover - numba without its CUDA package
        return None
    for name in KERNEL_NAMES:
        if getattr(numba_cuda, name, None) is value:
            return name
    from numba.cuda import random as numba_random

    from cudalike.cuda.random import KERNEL_FUNCTIONS

    for name in KERNEL_FUNCTIONS:
        if getattr(numba_random, name, None) is value:
            return f"random.{name}"
    return None


def is_dtype_like(value) -> bool:
    """A numpy dtype or scalar type, or one of numba's types."""
    if isinstance(value, np.dtype):
        return True
    if isinstance(value, type) and issubclass(value, np.generic):
        return True
    module = getattr(type(value), "__module__", "") or ""
    return module.startswith("numba.core.types")


def to_dtype(value) -> np.dtype:
    """The numpy dtype of a dtype-like value."""
    from cudalike.simt.host import as_numpy_dtype

    return as_numpy_dtype(value)


_CPU_FUNCTIONS: dict = {}  # id of a numba @jit function -> (it, its device function)


def is_cpu_jit_function(value) -> bool:
    """A function compiled by numba's CPU `@jit`/`@njit` (a CPUDispatcher), with its source."""
    return type(value).__name__ == "CPUDispatcher" and hasattr(value, "py_func")


def device_function_of(cpu_function):
    """The device function a numba CPU function becomes when a kernel calls it, as numba
    compiles it for the device; one per function, so it is lowered once."""
    from cudalike.simt.dispatcher import Dispatcher

    key = id(cpu_function)
    if key not in _CPU_FUNCTIONS:
        device = Dispatcher(cpu_function.py_func, device=True, signature=None, options={})
        _CPU_FUNCTIONS[key] = (cpu_function, device)  # keeps the function, so the id stays
    return _CPU_FUNCTIONS[key][1]
