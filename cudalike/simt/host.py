"""numba.cuda's host API: allocating device memory, copying to it, pinned and mapped memory.

This is the module `cudalike.cuda` takes its host names from, so it also re-exports the
device array (`device_array.py`) and the streams and events (`streams.py`). Every
allocation is poisoned (NaN for floats, 0xDEADBEEF bytes for integers), see `fill_poison`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np

from cudalike.simt.device_array import DeviceNDArray, allocate, fill_poison, wrap_array
from cudalike.simt.dtypes import as_numpy_dtype
from cudalike.simt.streams import (
    Event,
    Stream,
    as_stream,
    default_stream,
    event,
    event_elapsed_time,
    external_stream,
    legacy_default_stream,
    per_thread_default_stream,
    stream,
    synchronize,
)

__all__ = [
    "DeviceNDArray",
    "Event",
    "Stream",
    "as_cuda_array",
    "default_stream",
    "device_array",
    "device_array_like",
    "event",
    "event_elapsed_time",
    "external_stream",
    "is_cuda_array",
    "legacy_default_stream",
    "managed_array",
    "mapped",
    "mapped_array",
    "mapped_array_like",
    "per_thread_default_stream",
    "pinned",
    "pinned_array",
    "pinned_array_like",
    "stream",
    "synchronize",
    "to_device",
]

_NON_CONTIGUOUS = (
    "Array contains non-contiguous buffer and cannot be transferred as a single memory region "
    "(shape {shape}, strides {strides}). Please ensure contiguous buffer with numpy "
    ".ascontiguousarray(), e.g. cuda.to_device(np.ascontiguousarray(ary))"
)


def to_device(
    obj: object, stream: Stream | int = 0, copy: bool = True, to: DeviceNDArray | None = None
) -> DeviceNDArray:
    """Allocate device memory like `obj` and copy `obj` into it (or into `to`).

    Args:
        obj: a numpy array, anything `np.asarray` accepts, or a device array (returned as is).
        stream: stream to order the copy on; copies finish before this call returns.
        copy: if False, allocate without copying (the memory is poisoned).
        to: an existing device array to copy into instead of allocating.

    Returns:
        The device array.

    Raises:
        ValueError: `obj` is not contiguous (numba's message), or `to` has another shape.
        TypeError: `to` has another dtype, or `obj` holds Python objects.

    Differences:
        A structured scalar (`np.void`) becomes a 0-d device array, not a DeviceRecord.

    Example:
        >>> d_ary = to_device(np.arange(3.0))
        >>> d_ary.copy_to_host()
        array([0., 1., 2.])
    """
    as_stream(stream)
    if to is not None:
        if copy:
            to.copy_to_device(obj, stream=stream)
        return to
    if isinstance(obj, DeviceNDArray):
        return obj
    host = np.asarray(obj)
    as_numpy_dtype(host.dtype)  # refuses object arrays with a clear message
    core = _array_core(host)
    if not (core.flags.c_contiguous or core.flags.f_contiguous):
        raise ValueError(_NON_CONTIGUOUS.format(shape=host.shape, strides=host.strides))
    buffer = core.copy(order="K")
    if not copy:
        fill_poison(buffer)
    if core is host:
        return wrap_array(buffer, stream)
    # A broadcast array (stride 0) is stored once, as numba does: rebuild its zero strides.
    core_strides = iter(buffer.strides)
    strides = [0 if step == 0 else next(core_strides) for step in host.strides]
    return wrap_array(np.lib.stride_tricks.as_strided(buffer, host.shape, strides), stream)


def _array_core(ary: np.ndarray) -> np.ndarray:
    """The repeated core of a broadcast array: dimensions of stride 0 indexed at 0 (numba's)."""
    if not ary.strides or not ary.size:
        return ary
    if 0 not in ary.strides:
        return ary
    return ary[tuple(0 if step == 0 else slice(None) for step in ary.strides)]


def device_array(
    shape: int | tuple,
    dtype: object = np.float64,
    strides: tuple | None = None,
    order: str = "C",
    stream: Stream | int = 0,
) -> DeviceNDArray:
    """Allocate a device array without initialising it, like `numpy.empty`.

    Args:
        shape: an int or a tuple of ints.
        dtype: element type: numpy dtype, string, Python type or numba type (numba.float32).
        strides: byte strides, or None for contiguous memory in `order`.
        order: "C" (row-major) or "F" (column-major).
        stream: stream the array is associated with.

    Returns:
        The device array.

    Differences:
        A GPU leaves fresh memory holding leftovers; cudalike fills it with NaN (floats),
        True (booleans) or the bytes EF BE AD DE (integers: int32 reads 0xDEADBEEF), so a
        forgotten element shows up at once and runs are reproducible.

    Example:
        >>> device_array(4, dtype=np.float32).copy_to_host()
        array([nan, nan, nan, nan], dtype=float32)
    """
    as_stream(stream)
    return wrap_array(allocate(shape, dtype, strides, order), stream)


def device_array_like(ary: object, stream: Stream | int = 0) -> DeviceNDArray:
    """Allocate an uninitialised (poisoned) device array with the shape, dtype and layout of `ary`.

    Example:
        >>> device_array_like(np.zeros((2, 3), np.int32)).shape
        (2, 3)
    """
    as_stream(stream)
    return wrap_array(_empty_like(ary), stream)


def _empty_like(ary: object) -> np.ndarray:
    """A poisoned contiguous array like `ary`, keeping its axis order (numba's stride rule)."""
    source = ary._array if isinstance(ary, DeviceNDArray) else np.asarray(ary)
    array = np.empty_like(source, dtype=as_numpy_dtype(source.dtype), order="K", subok=False)
    fill_poison(array)
    return array


def pinned_array(
    shape: int | tuple, dtype: object = np.float64, strides: tuple | None = None, order: str = "C"
) -> np.ndarray:
    """Allocate a host array in page-locked memory, like `numpy.empty` (poisoned).

    Differences:
        A plain numpy array: host memory is never paged out of a CPU emulation's model.
    """
    return allocate(shape, dtype, strides, order)


def pinned_array_like(ary: object) -> np.ndarray:
    """Allocate a pinned host array like `ary` (a plain, poisoned numpy array)."""
    return _empty_like(ary)


def mapped_array(
    shape: int | tuple,
    dtype: object = np.float64,
    strides: tuple | None = None,
    order: str = "C",
    stream: Stream | int = 0,
    portable: bool = False,
    wc: bool = False,
) -> DeviceNDArray:
    """Allocate host memory mapped into the device's address space (poisoned).

    Differences:
        On a GPU the result is both a numpy array and a device array. As in numba's
        simulator, cudalike returns a DeviceNDArray: read it with `copy_to_host()`.
        `portable` and `wc` change nothing.
    """
    return device_array(shape, dtype, strides, order, stream)


def mapped_array_like(
    ary: object, stream: Stream | int = 0, portable: bool = False, wc: bool = False
) -> DeviceNDArray:
    """Call `mapped_array` with the shape, dtype and layout of `ary` (see its Differences)."""
    return device_array_like(ary, stream)


def managed_array(
    shape: int | tuple,
    dtype: object = np.float64,
    strides: tuple | None = None,
    order: str = "C",
    stream: Stream | int = 0,
    attach_global: bool = True,
) -> np.ndarray:
    """Allocate unified (managed) memory, usable from host and device (poisoned).

    Differences:
        As in numba's simulator, a plain numpy array: pass it to kernels and read it on the
        host directly. `attach_global` changes nothing.
    """
    as_stream(stream)
    return allocate(shape, dtype, strides, order)


@contextlib.contextmanager
def pinned(*arylist: np.ndarray) -> Iterator[None]:
    """Context manager that page-locks host arrays for the duration of a `with` block.

    Differences:
        Nothing to lock on a CPU emulation; the arrays are only checked to be numpy arrays.
    """
    _require_host_arrays("pinned", arylist)
    yield


@contextlib.contextmanager
def mapped(*arylist: np.ndarray, stream: Stream | int = 0) -> Iterator[object]:
    """Context manager mapping host arrays into device memory: yields device arrays sharing them.

    Kernel writes through the yielded device arrays land directly in the host arrays. One
    array yields one device array; several yield a list.
    """
    _require_host_arrays("mapped", arylist)
    as_stream(stream)
    views = [wrap_array(ary, stream) for ary in arylist]
    yield views[0] if len(views) == 1 else views


def _require_host_arrays(name: str, arylist: tuple) -> None:
    for ary in arylist:
        if not isinstance(ary, np.ndarray):
            raise TypeError(f"cuda.{name} takes numpy arrays, got {type(ary).__name__}")


def is_cuda_array(obj: object) -> bool:
    """Return True if `obj` is device memory: a DeviceNDArray, or an object with the CUDA
    array interface (`__cuda_array_interface__`, e.g. a CuPy array)."""
    return isinstance(obj, DeviceNDArray) or hasattr(obj, "__cuda_array_interface__")


def as_cuda_array(obj: object, sync: bool = True) -> DeviceNDArray:
    """Return a device array viewing the memory of `obj` (no copy).

    Raises:
        NotImplementedError: `obj` is memory of a real GPU (CUDA array interface), which a
            CPU emulation cannot reach.
        TypeError: `obj` is not device memory.
    """
    if isinstance(obj, DeviceNDArray):
        return wrap_array(obj._array, obj.stream)
    if hasattr(obj, "__cuda_array_interface__"):
        raise NotImplementedError(
            f"{type(obj).__name__} lives in a real GPU's memory, which cudalike (a CPU "
            "emulation) cannot reach; copy it to a numpy array and use cuda.to_device"
        )
    raise TypeError(
        f"*obj* doesn't implement the cuda array interface: got {type(obj).__name__}; "
        "use cuda.to_device to copy a host array to the device"
    )
