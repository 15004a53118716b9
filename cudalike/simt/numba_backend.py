"""The real-GPU path: hand a cudalike kernel, unchanged, to numba.cuda.

Selected with `cudalike.use("numba-cuda")` or CUDALIKE_BACKEND=numba-cuda. numba.cuda runs it
on an NVIDIA GPU, or on numba's own simulator when NUMBA_ENABLE_CUDASIM=1 (how CI tests this
switch). The kernel's globals are copied with cudalike's names swapped for numba's; the
user's module is not touched.
"""

from __future__ import annotations

import types

import numpy as np


def _numba_cuda():
    """numba-cuda's own numba.cuda, even while drop-in mode makes `numba.cuda` cudalike."""
    from cudalike.dropin import real_module

    try:
        return real_module("numba.cuda")
    except ImportError as error:  # pragma: no cover - numba is a dependency
        raise RuntimeError("the numba-cuda backend needs numba and numba-cuda installed") from error


def _translate(value, numba_cuda):
    import cudalike.cuda as cudalike_cuda
    from cudalike.simt.dispatcher import Dispatcher
    from cudalike.simt.markers import FakeKernelName

    if value is cudalike_cuda or _is_dropin_alias(value):
        return numba_cuda
    if isinstance(value, FakeKernelName):
        target = numba_cuda
        for part in value.path.split("."):
            target = getattr(target, part)
        return target
    if isinstance(value, Dispatcher):
        return numba_dispatcher(value)
    return value


def _is_dropin_alias(value) -> bool:
    """Is `value` the module drop-in mode puts at `numba.cuda` (cudalike under numba's name)?"""
    from cudalike import dropin

    return isinstance(value, types.ModuleType) and value is dropin._state.aliases.get("numba.cuda")


def numba_dispatcher(kernel):
    """numba.cuda's compiled version of a cudalike Dispatcher (made once, then cached)."""
    if kernel._numba is None:
        numba_cuda = _numba_cuda()
        function = kernel.py_func
        names = function.__code__.co_names
        namespace = dict(function.__globals__)
        for name in names:
            if name in namespace:
                namespace[name] = _translate(namespace[name], numba_cuda)
        clone = types.FunctionType(
            function.__code__,
            namespace,
            function.__name__,
            function.__defaults__,
            function.__closure__,
        )
        decorator = (
            numba_cuda.jit(kernel.signature, device=kernel.device)
            if kernel.signature
            else numba_cuda.jit(device=kernel.device)
        )
        kernel._numba = decorator(clone)
    return kernel._numba


def launch(kernel, griddim, blockdim, stream, sharedmem, args) -> None:
    """Launch on numba.cuda; cudalike device arrays travel as their numpy storage."""
    arguments = [
        a._array if hasattr(a, "_array") and isinstance(a._array, np.ndarray) else a for a in args
    ]
    numba_dispatcher(kernel)[griddim, blockdim, 0, sharedmem](*arguments)
