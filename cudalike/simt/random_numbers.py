"""cuda.random's kernel functions for the SIMT engine: xoroshiro128+ over all active lanes.

Each active lane advances the generator state it names (usually its own thread index) and
gets the number numba would return on a GPU for that state. Lanes naming the same state in
one call race on a GPU; here they resolve in lane order, the last lane's update winning.
"""

from __future__ import annotations

import numpy as np

from cudalike.simt import memory

_TWO_PI_32 = np.float32(2 * np.pi)
_TWO_PI_64 = np.float64(2 * np.pi)


def _rotate_left(x: np.ndarray, k: int) -> np.ndarray:
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


class RandomMixin:
    """The cuda.random part of the chunk context (see engine.ChunkContext)."""

    def random_xoroshiro128p_next(self, mask, line, states, index):
        lanes = self.active_lanes(mask)
        result = np.zeros(self.lanes, np.uint64)
        if lanes.size == 0:
            return result
        flat = memory.flat_index(self, states, (index,), mask, line)
        position = np.broadcast_to(flat, (self.lanes,))[lanes]
        s0 = states.storage["s0"][position]
        s1 = states.storage["s1"][position]
        result[lanes] = s0 + s1
        s1 = s1 ^ s0
        states.storage["s0"][position] = _rotate_left(s0, 55) ^ s1 ^ (s1 << np.uint64(14))
        states.storage["s1"][position] = _rotate_left(s1, 36)
        return result

    def random_xoroshiro128p_uniform_float64(self, mask, line, states, index):
        bits = self.random_xoroshiro128p_next(mask, line, states, index)
        return (bits >> np.uint64(11)) * (1.0 / 2.0**53)

    def random_xoroshiro128p_uniform_float32(self, mask, line, states, index):
        return self.random_xoroshiro128p_uniform_float64(mask, line, states, index).astype(
            np.float32
        )

    def random_xoroshiro128p_normal_float32(self, mask, line, states, index):
        first = self.random_xoroshiro128p_uniform_float32(mask, line, states, index)
        second = self.random_xoroshiro128p_uniform_float32(mask, line, states, index)
        return np.sqrt(-np.float32(2.0) * np.log(first)) * np.cos(_TWO_PI_32 * second)

    def random_xoroshiro128p_normal_float64(self, mask, line, states, index):
        # numba draws float32 uniforms here too; kept for identical numbers.
        first = self.random_xoroshiro128p_uniform_float32(mask, line, states, index)
        second = self.random_xoroshiro128p_uniform_float32(mask, line, states, index)
        return np.sqrt(-np.float64(2.0) * np.log(first)) * np.cos(_TWO_PI_64 * second)
