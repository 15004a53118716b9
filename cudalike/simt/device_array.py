"""Device memory: `DeviceNDArray`, numba.cuda's array in GPU memory, kept in a private numpy array.

The engine reads and writes `DeviceNDArray._array` in place; everything else here is the host
side of numba's device array: views by basic indexing, explicit copies in both directions,
reshaping without copying. Fresh device memory is poisoned (see `fill_poison`) so that a
learner who forgets to write an element sees NaN or 0xDEADBEEF instead of a lucky zero.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from cudalike.simt.dtypes import as_numpy_dtype
from cudalike.simt.streams import Stream, as_stream

# Little-endian bytes of 0xDEADBEEF, repeated: int32 reads -559038737 (0xDEADBEEF), int64
# 0xDEADBEEFDEADBEEF, int16 0xBEEF, uint8 0xEF (239).
_POISON_BYTES = b"\xef\xbe\xad\xde"


def fill_poison(array: np.ndarray) -> None:
    """Fill `array` in place with cudalike's deterministic "uninitialised memory" pattern.

    A real GPU hands out memory holding whatever was there before; cudalike instead writes a
    fixed, recognisable pattern so that results never depend on luck: floating-point and
    complex elements become NaN, booleans True, and every other type (integers, records)
    the repeated bytes EF BE AD DE, so int32 elements read 0xDEADBEEF (-559038737).

    Args:
        array: the freshly allocated array to poison.
    """
    if array.dtype.kind in "fc":
        array[...] = np.nan
    elif array.dtype.kind == "b":
        array[...] = True
    else:
        itemsize = array.dtype.itemsize
        pattern = (_POISON_BYTES * (itemsize // len(_POISON_BYTES) + 1))[:itemsize]
        array[...] = np.frombuffer(pattern, dtype=array.dtype)[0]


def normalize_shape(shape: int | tuple) -> tuple[int, ...]:
    """Return `shape` as a tuple of non-negative ints, with numba's errors for anything else."""
    if isinstance(shape, (int, np.integer)):
        dims = (shape,)
    elif isinstance(shape, (tuple, list)):
        dims = tuple(shape)
    else:
        raise TypeError(f"shape must be an int or a tuple of ints, got {type(shape).__name__}")
    for dim in dims:
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
            raise TypeError(f"shape elements must be integers, got {type(dim).__name__}")
        if dim < 0:
            raise ValueError(f"shape {dims} has a negative dimension; sizes must be >= 0")
    return tuple(int(dim) for dim in dims)


def allocate(
    shape: int | tuple, dtype: object, strides: int | tuple | None, order: str
) -> np.ndarray:
    """Allocate a poisoned numpy array standing for fresh device memory.

    Args:
        shape: an int or a tuple of ints.
        dtype: anything `as_numpy_dtype` accepts.
        strides: byte strides (non-negative), or None for contiguous memory in `order`.
        order: "C" or "F", used when `strides` is None.

    Returns:
        The poisoned array (see `fill_poison`).
    """
    dims = normalize_shape(shape)
    dtype = as_numpy_dtype(dtype)
    if order not in ("C", "F"):
        raise ValueError(f"order must be 'C' or 'F', got {order!r}")
    if strides is None:
        array = np.empty(dims, dtype=dtype, order=order)
    else:
        steps = (strides,) if isinstance(strides, int) else tuple(int(s) for s in strides)
        if len(steps) != len(dims):
            raise ValueError(f"strides {steps} do not match the {len(dims)} dimensions of {dims}")
        if any(step < 0 for step in steps):
            raise ValueError(f"strides {steps} are negative; device arrays need strides >= 0")
        extent = (
            sum((dim - 1) * step for dim, step in zip(dims, steps, strict=True)) + dtype.itemsize
        )
        buffer = np.empty(extent if all(dims) else 0, dtype=np.uint8)
        array = np.ndarray(dims, dtype=dtype, buffer=buffer, strides=steps)
    fill_poison(array)
    return array


def _check_basic_index(key: object) -> None:
    """Allow only indices that give a view (ints, slices, ...); numpy's fancy ones copy."""
    parts = key if isinstance(key, tuple) else (key,)
    for part in parts:
        basic = part is None or part is Ellipsis or isinstance(part, slice)
        basic = basic or (isinstance(part, (int, np.integer)) and not isinstance(part, bool))
        if not basic:
            raise NotImplementedError(
                f"device arrays take integers and slices as indices, not {type(part).__name__} "
                f"({part!r}); index the host copy instead: d_ary.copy_to_host()[...]"
            )


class DeviceNDArray:
    """An array in (modelled) GPU memory, as returned by `cuda.to_device` and `cuda.device_array`.

    Pass it to kernels; read its values on the host with `copy_to_host()`. Indexing with
    integers and slices gives a view sharing memory (`d[2:5]`), so a kernel writing through
    the view changes the parent; indexing down to one element returns that element's value.

    Differences:
        numba keeps the data on the GPU; cudalike keeps it in a private numpy array, so
        memory is limited by the host, not by the modelled device. As in numba,
        `np.asarray(d_ary)` copies to the host (prefer `copy_to_host()`, which says so).
        Fresh memory is poisoned (NaN, 0xDEADBEEF) rather
        than left as garbage. Fancy indexing (arrays of indices, masks), `view`,
        `squeeze` and IPC handles are not provided. `copy_to_host(ary)` accepts
        a host array of any memory layout; numba also requires equal strides.

    Attributes:
        stream: the stream given at creation (0 for the default stream).
    """

    def __init__(
        self,
        shape: int | tuple,
        strides: int | tuple | None = None,
        dtype: object = np.float64,
        stream: Stream | int = 0,
    ):
        self._array = allocate(shape, dtype, strides, "C")
        self.stream = stream

    @property
    def shape(self) -> tuple[int, ...]:
        return self._array.shape

    @property
    def strides(self) -> tuple[int, ...]:
        return self._array.strides

    @property
    def dtype(self) -> np.dtype:
        return self._array.dtype

    @property
    def size(self) -> int:
        return self._array.size

    @property
    def ndim(self) -> int:
        return self._array.ndim

    @property
    def nbytes(self) -> int:
        return self._array.nbytes

    def __len__(self) -> int:
        if self._array.ndim == 0:
            raise TypeError("len() of a 0-d device array")
        return self._array.shape[0]

    def __repr__(self) -> str:
        return (
            f"<cudalike DeviceNDArray shape={self.shape} dtype={self.dtype} in device memory; "
            "call .copy_to_host() to see the values>"
        )

    def __array__(self, dtype=None, copy=None):
        """np.asarray(device_array) copies to the host, as numba does."""
        host = self.copy_to_host()
        return host if dtype is None else host.astype(dtype)

    def __getitem__(self, key: object) -> DeviceNDArray | np.generic:
        """Return a view for slices, or the element's value for a full integer index."""
        _check_basic_index(key)
        result = self._array[key]
        if isinstance(result, np.ndarray):
            return wrap_array(result, self.stream)
        return result

    def __setitem__(self, key: object, value: object) -> None:
        """Assign from the host: a scalar, a host array or a device array, broadcasting."""
        _check_basic_index(key)
        if isinstance(value, DeviceNDArray):
            value = value._array
        self._array[key] = value

    @property
    def flags(self) -> dict[str, bool]:
        """The layout flags as a dict (a copy), as numba gives them: flags["C_CONTIGUOUS"]."""
        flags = self._array.flags
        return {"C_CONTIGUOUS": flags.c_contiguous, "F_CONTIGUOUS": flags.f_contiguous}

    @property
    def T(self) -> DeviceNDArray:  # noqa: N802 - numpy's and numba's name
        """The transpose (see `transpose`)."""
        return self.transpose()

    def transpose(self, axes: tuple[int, ...] | None = None) -> DeviceNDArray:
        """A new device array holding the transpose of a 2-D array, as numba makes it.

        numba runs a transpose kernel into fresh memory, so the result is C-contiguous and
        does not share memory with this array. Axes in their own order return this array.

        Raises:
            NotImplementedError: the array is not 2-D (numba transposes only 2-D arrays).
            ValueError: `axes` is not a permutation of the array's axes.
        """
        if axes and tuple(axes) == tuple(range(self.ndim)):
            return self
        if self.ndim != 2:
            raise NotImplementedError("transposing a non-2D DeviceNDArray isn't supported")
        if axes is not None and set(axes) != set(range(self.ndim)):
            raise ValueError(f"invalid axes list {axes!r}")
        return wrap_array(np.ascontiguousarray(self._array.T), self.stream)

    def is_c_contiguous(self) -> bool:
        """Return True if the array is C-contiguous (row-major, no gaps)."""
        return bool(self._array.flags.c_contiguous)

    def is_f_contiguous(self) -> bool:
        """Return True if the array is Fortran-contiguous (column-major, no gaps)."""
        return bool(self._array.flags.f_contiguous)

    def copy_to_host(self, ary: np.ndarray | None = None, stream: Stream | int = 0) -> np.ndarray:
        """Copy the values to a new numpy array, or into `ary`, and return it.

        Args:
            ary: optional host array to fill; it must have this array's dtype and shape
                (dimensions of length 1 aside, as in numba).
            stream: stream to order the copy on; copies finish before this call returns.

        Returns:
            The host array.

        Raises:
            TypeError: `ary` is not a numpy array or its dtype differs.
            ValueError: `ary` has another shape or is read-only.

        Example:
            >>> from cudalike.simt.host import to_device
            >>> d_ary = to_device(np.arange(4))
            >>> d_ary.copy_to_host()
            array([0, 1, 2, 3])
        """
        as_stream(stream)
        if ary is None:
            return self._array.copy(order="K")
        if not isinstance(ary, np.ndarray):
            raise TypeError(f"copy_to_host(ary) needs a numpy array, got {type(ary).__name__}")
        hint = f"allocate `ary` with dtype=np.{self.dtype}"
        _check_compatible("copy_to_host", self._array, ary, hint)
        if not ary.flags.writeable:
            raise ValueError("copy_to_host(ary): the host array `ary` is read-only")
        ary[...] = self._array.reshape(ary.shape)
        return ary

    def copy_to_device(self, ary: object, stream: Stream | int = 0) -> None:
        """Copy `ary` (a host array or another device array) into this device array.

        Args:
            ary: the values; same dtype and shape as this array (length-1 dimensions
                aside). Python sequences are converted with `np.asarray` first.
            stream: stream to order the copy on; copies finish before this call returns.

        Raises:
            TypeError: the dtypes differ (numba never converts during a copy).
            ValueError: the shapes differ, or this array is not contiguous.
        """
        as_stream(stream)
        source = ary._array if isinstance(ary, DeviceNDArray) else np.asarray(ary)
        if source.size == 0:
            return
        if not (self.is_c_contiguous() or self.is_f_contiguous()):
            raise ValueError(
                f"copy_to_device needs a contiguous destination; this view has strides "
                f"{self.strides} for shape {self.shape}. Assign with d_view[...] = values "
                "instead, or copy into the contiguous parent array"
            )
        hint = f"convert the values first, e.g. values.astype(np.{self.dtype})"
        _check_compatible("copy_to_device", source, self._array, hint)
        self._array[...] = source.reshape(self.shape)

    def reshape(self, *newshape: int | tuple, order: str = "C") -> DeviceNDArray:
        """Return a view with another shape, as `numpy.ndarray.reshape` does.

        Raises:
            NotImplementedError: the new shape cannot be a view of this memory (numba's
                message "operation requires copying").

        Example:
            >>> from cudalike.simt.host import to_device
            >>> to_device(np.arange(6)).reshape(2, 3).shape
            (2, 3)
        """
        if len(newshape) == 1 and isinstance(newshape[0], (tuple, list)):
            newshape = tuple(newshape[0])
        return self._view_or_refuse(self._array.reshape(newshape, order=order), "reshape")

    def ravel(self, order: str = "C", stream: Stream | int = 0) -> DeviceNDArray:
        """Return a 1-D view of a contiguous array.

        Raises:
            NotImplementedError: the array is not contiguous in `order`.
        """
        as_stream(stream)
        return self._view_or_refuse(self._array.ravel(order=order), "ravel")

    def split(self, section: int, stream: Stream | int = 0) -> Iterator[DeviceNDArray]:
        """Yield views of consecutive pieces of `section` elements (the last may be shorter).

        Raises:
            ValueError: the array is not 1-D or not unit-stride (as in numba).
        """
        as_stream(stream)
        if self.ndim != 1:
            raise ValueError(f"split only supports 1-D arrays; this one has shape {self.shape}")
        if self.strides[0] != self.dtype.itemsize:
            raise ValueError(f"split only supports unit stride; this view has {self.strides}")
        for begin in range(0, self.size, section):
            yield wrap_array(self._array[begin : begin + section], stream)

    def _view_or_refuse(self, result: np.ndarray, operation: str) -> DeviceNDArray:
        if result.size and not np.may_share_memory(result, self._array):
            raise NotImplementedError(
                f"{operation} of this device array requires copying (its strides are "
                f"{self.strides}); numba refuses too. Copy to the host, {operation} there "
                "and copy back with cuda.to_device"
            )
        return wrap_array(result, self.stream)


def wrap_array(array: np.ndarray, stream: Stream | int = 0) -> DeviceNDArray:
    """Return a DeviceNDArray whose memory is `array` itself (no copy, no poisoning).

    For cudalike's own use (views, `to_device`, the engine); learners allocate with
    `cuda.device_array` or `cuda.to_device`.
    """
    device_array = DeviceNDArray.__new__(DeviceNDArray)
    device_array._array = array
    device_array.stream = stream
    return device_array


def _check_compatible(operation: str, source: np.ndarray, target: np.ndarray, hint: str) -> None:
    """numba's rule for copies: same dtype, same shape once length-1 dimensions are dropped."""
    if source.dtype != target.dtype:
        raise TypeError(
            f"{operation}: incompatible dtype: copying {source.dtype} into {target.dtype}; "
            f"numba never converts dtypes while copying: {hint}"
        )
    if source.squeeze().shape != target.squeeze().shape:
        raise ValueError(
            f"{operation}: incompatible shape: copying shape {source.shape} into shape "
            f"{target.shape}"
        )
