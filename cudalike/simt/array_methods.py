"""Array methods in kernels that make a new array: `a.copy()` and `a.view(np.int32)`.

`copy()` gives each thread its own copy in local memory, as numba allocates one per thread.
`view(dtype)` reinterprets the bytes of a contiguous global or constant array, as numpy does
(`bytes[4:8].view(np.int32)[0]` reads four bytes as one int32); the view is read and written
in place, without the race checks of the array it came from.
"""

from __future__ import annotations

import numpy as np

from cudalike.simt import memory
from cudalike.simt.device_array import fill_poison


class ArrayMethods:
    """The array-method part of the chunk context (see engine.ChunkContext)."""

    def copy_array(self, source, mask, line: int) -> memory.Buffer:
        """`a.copy()`: a local array of a's shape and dtype holding a's elements."""
        if not isinstance(source, memory.Buffer):
            return source  # a number or a tuple is already a value
        storage = np.empty(self.lanes * source.size, source.dtype)
        fill_poison(storage)
        copy = memory.Buffer(f"{source.name}.copy()", "local", storage, source.shape)
        for index in np.ndindex(*source.shape):
            value = memory.load(self, source, index, mask, line)
            memory.store(self, copy, index, value, mask, line)
        return copy

    def reinterpret(self, source, dtype, line: int) -> memory.Buffer:
        """`a.view(dtype)`: the bytes of a contiguous 1-d global or constant array, read as
        elements of `dtype`."""
        dtype = np.dtype(dtype)
        if not isinstance(source, memory.Buffer) or source.space not in ("global", "const"):
            self.fail_runtime(line, "view(dtype) needs a global or constant array")
        if source.ndim != 1 or source.element_strides not in ((1,), ()):
            self.fail_runtime(line, f"'{source.name}' must be 1-d and contiguous to view(dtype)")
        if isinstance(source.offset, np.ndarray):
            self.fail_runtime(line, "view(dtype) needs the same slice in every thread")
        start = int(source.offset) * source.itemsize
        length = source.size * source.itemsize
        if length % dtype.itemsize:
            self.fail_runtime(
                line,
                f"'{source.name}' holds {length} bytes, not a whole number of {dtype} "
                f"({dtype.itemsize} bytes each)",
            )
        raw = source.root.storage.view(np.uint8)[start : start + length]
        elements = raw.view(dtype)
        return memory.Buffer(f"{source.name}.view({dtype})", source.space, elements, elements.shape)
