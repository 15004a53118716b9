"""`cuda.vectorize` / `cuda.guvectorize` (and numba's `target='cuda'`): ufuncs applied on the host.

    @cuda.vectorize(["float32(float32, float32)"])
    def add(a, b):
        return a + b

    @cuda.guvectorize(["void(float32[:], float32[:])"], "(n)->()")
    def norm(v, out):
        ...

Differences: numba compiles the function into a kernel with one thread per element (per core
of the gufunc); cudalike applies the Python function on the host, element by element (core
by core), as numba's own simulator does. The results and their dtypes are numba's; it is not
a kernel launch, so the profiler does not see it. Device-array inputs give a device-array
result, host inputs a host result, as with numba.
"""

from __future__ import annotations

import types
from collections.abc import Callable

import numpy as np


def _output_dtype(signatures) -> np.dtype | None:
    """The return dtype of the first signature ("float32(float32, float32)"), if one is given."""
    if not signatures:
        return None
    from numba.core import sigutils

    signature = signatures[0] if isinstance(signatures, (list, tuple)) else signatures
    _, return_type = sigutils.normalize_signature(signature)
    if return_type is None:
        return None
    from numba.np.numpy_support import as_dtype

    return as_dtype(return_type)


def _output_dtypes_of_gufunc(signatures, outputs: int) -> list[np.dtype | None]:
    """The dtypes of the last `outputs` arguments of the first signature."""
    if not signatures:
        return [None] * outputs
    from numba.core import sigutils
    from numba.np.numpy_support import as_dtype

    signature = signatures[0] if isinstance(signatures, (list, tuple)) else signatures
    arguments, _ = sigutils.normalize_signature(signature)
    return [as_dtype(getattr(t, "dtype", t)) for t in arguments[-outputs:]]


def host_function(function: Callable, _seen: dict | None = None) -> Callable:
    """`function` with the device functions it calls (`@cuda.jit(device=True)`) made callable.

    A device function refuses host calls; the ufunc body runs on the host, so its globals and
    closure are copied with each device function replaced by its Python function (recursively).
    """
    from cudalike.simt.dispatcher import Dispatcher

    seen = {} if _seen is None else _seen
    function = getattr(function, "py_func", function)
    if not isinstance(function, types.FunctionType):
        return function
    if function in seen:
        return seen[function]
    names = set(function.__code__.co_names)
    callees = {
        name: value
        for name, value in function.__globals__.items()
        if name in names and isinstance(value, Dispatcher)
    }
    cells = function.__closure__ or ()
    if not callees and not any(_holds_dispatcher(cell) for cell in cells):
        seen[function] = function
        return function
    namespace = dict(function.__globals__)
    closure = tuple(
        types.CellType(host_function(cell.cell_contents, seen)) if _holds_dispatcher(cell) else cell
        for cell in cells
    )
    copy = types.FunctionType(
        function.__code__, namespace, function.__name__, function.__defaults__, closure or None
    )
    seen[function] = copy
    namespace.update({name: host_function(value, seen) for name, value in callees.items()})
    return copy


def _holds_dispatcher(cell) -> bool:
    from cudalike.simt.dispatcher import Dispatcher

    try:
        return isinstance(cell.cell_contents, Dispatcher)
    except ValueError:  # an empty cell
        return False


def _host(value):
    return value.copy_to_host() if hasattr(value, "copy_to_host") else np.asarray(value)


def _like_inputs(result, inputs, stream):
    from cudalike.simt.host import to_device

    on_device = any(hasattr(value, "copy_to_host") for value in inputs)
    if not on_device:
        return result
    if isinstance(result, tuple):
        return tuple(to_device(np.ascontiguousarray(r), stream=stream) for r in result)
    return to_device(np.ascontiguousarray(result), stream=stream)


class CudaUFunc:
    """An element-wise function over arrays, built by `vectorize`."""

    def __init__(self, function: Callable, signatures):
        self.py_func = getattr(function, "py_func", function)
        self._host_func = host_function(self.py_func)
        self.__name__ = getattr(self.py_func, "__name__", "ufunc")
        self.__doc__ = self.py_func.__doc__
        self._dtype = _output_dtype(signatures)

    def __call__(self, *inputs, out=None, stream=0):
        arrays = [_host(value) for value in inputs]
        otypes = [self._dtype] if self._dtype is not None else None
        result = np.vectorize(self._host_func, otypes=otypes)(*arrays)
        if np.ndim(result) == 0 and all(np.ndim(a) == 0 for a in arrays):
            return result[()] if isinstance(result, np.ndarray) else result
        if out is not None:
            out.copy_to_device(result) if hasattr(out, "copy_to_device") else np.copyto(out, result)
            return out
        return _like_inputs(np.asarray(result), inputs, stream)


class CudaGUFunc:
    """A function over the core dimensions of arrays, built by `guvectorize`."""

    def __init__(self, function: Callable, signatures, layout: str):
        self.py_func = getattr(function, "py_func", function)
        self._host_func = host_function(self.py_func)
        self.__name__ = getattr(self.py_func, "__name__", "gufunc")
        self.__doc__ = self.py_func.__doc__
        self._layout = layout.replace(" ", "")
        self._outputs = self._layout.split("->")[1].count("(")
        self._dtypes = _output_dtypes_of_gufunc(signatures, self._outputs)

    def __call__(self, *arguments, stream=0):
        inputs_count = self._layout.split("->")[0].count("(")
        inputs = [_host(value) for value in arguments[:inputs_count]]
        given = list(arguments[inputs_count:])

        def core(*values):
            outs = [np.zeros(1 if s == "()" else 0, d or np.float64) for s, d in self._specs()]
            self._host_func(*values, *outs)
            return tuple(o[0] for o in outs) if len(outs) > 1 else outs[0][0]

        scalar_outputs = all(spec == "()" for spec, _ in self._specs())
        if not scalar_outputs:
            return self._call_with_array_outputs(inputs, given, arguments, stream)
        signature = self._layout.split("->")[0] + "->" + ",".join(["()"] * self._outputs)
        otypes = [d or np.float64 for d in self._dtypes]
        result = np.vectorize(core, signature=signature, otypes=otypes)(*inputs)
        if given:
            for target, value in zip(
                given, (result if self._outputs > 1 else (result,)), strict=False
            ):
                _store(target, value)
            return given[0] if len(given) == 1 else tuple(given)
        return _like_inputs(result, arguments, stream)

    def _specs(self):
        outputs = self._layout.split("->")[1]
        specs = ["(" + part for part in outputs.split("(")[1:]]
        return [(spec.rstrip(","), dtype) for spec, dtype in zip(specs, self._dtypes, strict=False)]

    def _call_with_array_outputs(self, inputs, given, arguments, stream):
        """Outputs with core dimensions: the caller passes them (numba requires it too)."""
        if len(given) != self._outputs:
            raise TypeError(
                f"{self.__name__}: pass the {self._outputs} output array(s) of "
                f"'{self._layout}' after the inputs"
            )
        outs = [_host(target).copy() for target in given]
        core_ndims = [spec.count(",") + 1 if spec != "()" else 0 for spec in self._in_specs()]
        loop_shape = np.broadcast_shapes(
            *(a.shape[: a.ndim - n] for a, n in zip(inputs, core_ndims, strict=False))
        )
        for index in np.ndindex(*loop_shape):
            values = [
                a[index[len(index) - (a.ndim - n) :]] if a.ndim > n else a
                for a, n in zip(inputs, core_ndims, strict=False)
            ]
            values = [
                v if n else np.reshape(v, 1) for v, n in zip(values, core_ndims, strict=False)
            ]
            self._host_func(*values, *(o[index] for o in outs))
        for target, value in zip(given, outs, strict=False):
            _store(target, value)
        return given[0] if len(given) == 1 else tuple(given)

    def _in_specs(self):
        inputs = self._layout.split("->")[0]
        return ["(" + part.rstrip(",") for part in inputs.split("(")[1:]]


def _store(target, value) -> None:
    if hasattr(target, "copy_to_device"):
        target.copy_to_device(np.ascontiguousarray(value, dtype=target.dtype))
    else:
        np.copyto(target, value, casting="unsafe")


def vectorize(signatures=None, **options):
    """`@cuda.vectorize(signatures)`: an element-wise ufunc (see the module docstring)."""
    if callable(signatures):
        return CudaUFunc(signatures, None)
    return lambda function: CudaUFunc(function, signatures)


def guvectorize(signatures, layout: str, **options):
    """`@cuda.guvectorize(signatures, layout)`: a generalized ufunc (see the module docstring)."""
    return lambda function: CudaGUFunc(function, signatures, layout)
