"""Host side: global-memory allocation and copies shaped like ACL's, and numpy-friendly ones.

    x = cann.to_device(np_array)          # or aclrtMalloc + aclrtMemcpy
    add_custom[8](x, y, z, tiling)
    out = z.copy_to_host()                # or aclrtMemcpy(..., ACL_MEMCPY_DEVICE_TO_HOST)

Differences: `aclrtMalloc(size)` returns the pointer instead of filling an out-argument and
returning an error code; errors are exceptions. Like ACL, aclrtMalloc rounds the size up to
32 bytes and adds 32 (aclrtMallocAlign32 only rounds up), so a kernel may touch that padding
as on the hardware; numpy arrays passed to a launch, to_device and device_empty get exactly
their size, so an access one element past them is reported. Streams are not modelled:
launches complete before they return, so aclrtSynchronizeStream has nothing to wait for.
"""

from __future__ import annotations

import numpy as np

from cudalike.cann.dtypes import dtype_of
from cudalike.cann.gm import GmAddr

ACL_MEMCPY_HOST_TO_HOST = 0
ACL_MEMCPY_HOST_TO_DEVICE = 1
ACL_MEMCPY_DEVICE_TO_HOST = 2
ACL_MEMCPY_DEVICE_TO_DEVICE = 3

# Fresh device memory holds this byte (NaN in half and float) so reads of unwritten memory show.
_FRESH = 0xFF


def aclrtMalloc(size: int, policy: int = 0) -> GmAddr:
    """Allocate `size` bytes of global memory: ALIGN_UP(size, 32) + 32 bytes, as ACL does
    (contents undefined: filled with 0xFF). `policy` is accepted and ignored."""
    return _allocate("aclrtMalloc", size, 32)


def aclrtMallocAlign32(size: int, policy: int = 0) -> GmAddr:
    """Allocate `size` bytes rounded up to 32, without aclrtMalloc's extra 32 bytes."""
    return _allocate("aclrtMallocAlign32", size, 0)


def _allocate(api: str, size: int, extra: int) -> GmAddr:
    size = int(size)
    if size <= 0:
        raise ValueError(f"{api} size must be positive, got {size}")
    padded = -(-size // 32) * 32 + extra
    return GmAddr(np.full(padded, _FRESH, dtype=np.uint8), 0, np.uint8, size)


def aclrtFree(pointer: GmAddr) -> None:
    """Free global memory (Python's garbage collector does the work)."""


def aclrtMemcpy(dst, dest_max: int, src, count: int, kind: int) -> None:
    """Copy `count` bytes between host numpy arrays and device pointers, as ACL does.

    Raises:
        ValueError: count over dest_max, or a kind that does not match dst and src.
    """
    count = int(count)
    if count > int(dest_max):
        raise ValueError(f"aclrtMemcpy of {count} bytes into {dest_max}")
    expected = {
        ACL_MEMCPY_HOST_TO_DEVICE: (GmAddr, np.ndarray),
        ACL_MEMCPY_DEVICE_TO_HOST: (np.ndarray, GmAddr),
        ACL_MEMCPY_DEVICE_TO_DEVICE: (GmAddr, GmAddr),
        ACL_MEMCPY_HOST_TO_HOST: (np.ndarray, np.ndarray),
    }[kind]
    if not (isinstance(dst, expected[0]) and isinstance(src, expected[1])):
        raise ValueError(
            f"aclrtMemcpy kind {kind} copies {expected[1].__name__} to {expected[0].__name__}"
        )
    target, source = _bytes(dst), _bytes(src)
    if count > len(target) or count > len(source):
        raise ValueError(
            f"aclrtMemcpy of {count} bytes: the source has {len(source)} and the destination "
            f"{len(target)} from the given pointers"
        )
    target[:count] = source[:count]


def _bytes(value) -> np.ndarray:
    if isinstance(value, GmAddr):
        return value.data[value.byte_offset :]
    return value.reshape(-1).view(np.uint8)


def to_device(array: np.ndarray) -> GmAddr:
    """Copy a numpy array to a new global-memory allocation; the pointer has its dtype."""
    array = np.ascontiguousarray(array)
    return GmAddr(array.view(np.uint8).reshape(-1).copy(), 0, array.dtype)


def device_empty(length: int, dtype) -> GmAddr:
    """A fresh allocation of `length` elements of `dtype` (filled with 0xFF bytes)."""
    dtype = dtype_of(dtype)
    return GmAddr(np.full(int(length) * dtype.itemsize, _FRESH, dtype=np.uint8), 0, dtype)


def to_host(pointer: GmAddr) -> np.ndarray:
    """The allocation from `pointer` on, as a numpy array of the pointer's dtype."""
    return pointer.copy_to_host()
