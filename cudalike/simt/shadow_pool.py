"""A pool of shadow arrays for the race checks, so a launch reuses memory instead of
allocating it.

A shadow array is as large as the array it watches. Made fresh on every launch, its cost
depended on the allocator's state (fresh pages fault in one at a time, several milliseconds
for a few megabytes). Released arrays are reset to their empty value and kept for the next
launch or chunk of the same size, so a kernel launched again pays the same small cost.
"""

from __future__ import annotations

import threading

import numpy as np

_POOL_BYTES = 256 * 2**20  # kept at most; past it the pool starts afresh
_pool: dict[tuple, list[np.ndarray]] = {}
_pooled_bytes = 0
_pool_lock = threading.Lock()  # launches may come from several host threads


def take(size: int, dtype, empty) -> np.ndarray:
    """An array of `size` elements, every one `empty`: from the pool, or new."""
    global _pooled_bytes
    with _pool_lock:
        free = _pool.get((size, np.dtype(dtype), empty))
        if free:
            array = free.pop()
            _pooled_bytes -= array.nbytes
            return array
    return np.full(size, empty, dtype)


def give_back(array: np.ndarray | None, empty) -> None:
    """Reset `array` to `empty` and keep it for the next take() of its size (or drop it)."""
    global _pooled_bytes
    if array is None or array.nbytes > _POOL_BYTES:
        return
    array.fill(empty)
    with _pool_lock:
        if _pooled_bytes + array.nbytes > _POOL_BYTES:  # sizes no longer launched go first
            _pool.clear()
            _pooled_bytes = 0
        _pool.setdefault((array.size, array.dtype, empty), []).append(array)
        _pooled_bytes += array.nbytes
