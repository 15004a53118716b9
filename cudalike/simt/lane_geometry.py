"""Lane geometry of a chunk of the SIMT engine: per lane, its index, block, thread and warp.

Lanes are ordered by block (x fastest), then thread (x fastest). Each array is made when
first asked for and kept read-only, shared by every launch of the same shape: a kernel that
only uses cuda.grid(1) never pays for the others.
"""

from __future__ import annotations

import functools

import numpy as np


class LaneGeometry:
    """Read-only lane arrays of a chunk, each made when first asked for: a kernel that only
    uses cuda.grid(1) never pays for the block and thread numbers of every lane."""

    def __init__(self, first_block: int, blocks: int, blockdim: tuple, griddim: tuple):
        self.first_block = first_block
        self.blocks = blocks
        self.threads = blockdim[0] * blockdim[1] * blockdim[2]
        self.warps_per_block = -(-self.threads // 32)
        self.lanes = blocks * self.threads
        one_dimensional = blockdim[1:] == (1, 1) and griddim[1:] == (1, 1)
        self.grid_start = first_block * self.threads if one_dimensional else None

    def _per_block(self, values: np.ndarray) -> np.ndarray:
        """Per lane: the value of its block, `values` holding one per block."""
        return frozen(np.broadcast_to(values[:, None], (self.blocks, self.threads)).ravel())

    def _per_thread(self, values: np.ndarray) -> np.ndarray:
        """Per lane: the value of its thread, `values` holding one per thread of a block."""
        return frozen(np.broadcast_to(values, (self.blocks, self.threads)).ravel())

    @functools.cached_property
    def lane_index(self) -> np.ndarray:
        return _numbers(0, self.lanes)

    @functools.cached_property
    def lane_block(self) -> np.ndarray:
        return self._per_block(np.arange(self.blocks, dtype=np.int64))

    @functools.cached_property
    def lane_thread(self) -> np.ndarray:
        return self._per_thread(np.arange(self.threads, dtype=np.int64))

    @functools.cached_property
    def global_block(self) -> np.ndarray:
        first = self.first_block
        return self._per_block(np.arange(first, first + self.blocks, dtype=np.int32))

    @functools.cached_property
    def lane_warp(self) -> np.ndarray:
        """Per lane: its warp's number in the chunk (block by block)."""
        warps = np.arange(self.blocks, dtype=np.int64)[:, None] * self.warps_per_block
        return frozen((warps + np.arange(self.threads, dtype=np.int64) // 32).ravel())

    @functools.cached_property
    def grid(self) -> np.ndarray | None:
        """cuda.grid(1) of a 1-D launch (None for other launches)."""
        if self.grid_start is None:
            return None
        if self.grid_start == 0:
            return self.lane_index
        return _numbers(self.grid_start, self.lanes)

    def is_grid(self, index) -> bool:
        return self.grid_start is not None and index is self.__dict__.get("grid")


_HUGE_PAGE = 2**21


def _numbers(start: int, count: int) -> np.ndarray:
    """start, start + 1, ... (int64, read-only), 2 MB aligned when large: where the system
    backs large allocations with huge pages (Linux transparent huge pages, which numpy asks
    for), a fresh array then faults in a few huge pages instead of hundreds of small ones."""
    if count * 8 < 2 * _HUGE_PAGE:
        return frozen(np.arange(start, start + count, dtype=np.int64))
    spare = _HUGE_PAGE // 8
    storage = np.empty(count + spare, np.int64)
    skip = (-storage.ctypes.data % _HUGE_PAGE) // 8
    numbers = storage[skip : skip + count]
    piece = np.arange(1 << 16, dtype=np.int64)
    for first in range(0, count, piece.size):  # in pieces: no temporary as large as the result
        part = numbers[first : first + piece.size]
        np.add(piece[: part.size], start + first, out=part)
    frozen(storage)
    return frozen(numbers)


def frozen(array: np.ndarray) -> np.ndarray:
    """`array`, made read-only: shared by every use, it must never change."""
    array.flags.writeable = False
    return array


@functools.lru_cache(maxsize=4)
def lane_geometry(first_block: int, blocks: int, blockdim: tuple, griddim: tuple) -> LaneGeometry:
    """The lane geometry of a chunk; cached because it only depends on the launch shape."""
    return LaneGeometry(first_block, blocks, blockdim, griddim)
