"""Warp-level intrinsics: shuffles and votes over the 32 lanes of each warp, and bit tricks.

A warp is 32 consecutive threads of a block (x fastest); the last warp of a block may be
partial. A shuffle from a lane past the end of a partial warp returns the caller's value.
"""

from __future__ import annotations

import numpy as np


def _array(value, lanes: int) -> np.ndarray:
    return value if isinstance(value, np.ndarray) else np.full(lanes, value)


class WarpMixin:
    """The warp part of the chunk context (see engine.ChunkContext)."""

    def _warp_length(self):
        start = self.lane_thread - self.laneid
        return np.minimum(32, self.threads - start)

    def _shuffle(self, value, source):
        if not isinstance(value, np.ndarray):
            return value
        source = _array(source, self.lanes).astype(np.int64)
        valid = (source >= 0) & (source < self._warp_length())
        origin = np.where(valid, self.lane_index - self.laneid + source, self.lane_index)
        return value[origin]

    def shfl_sync(self, mask, line, membermask, value, src_lane):
        return self._shuffle(value, _array(src_lane, self.lanes) % 32)

    def shfl_up_sync(self, mask, line, membermask, value, delta):
        return self._shuffle(value, self.laneid - delta)

    def shfl_down_sync(self, mask, line, membermask, value, delta):
        return self._shuffle(value, self.laneid + delta)

    def shfl_xor_sync(self, mask, line, membermask, value, lane_mask):
        return self._shuffle(value, self.laneid ^ lane_mask)

    def _vote_lanes(self, mask, membermask):
        lanes = self.active_lanes(mask)
        member = (_array(membermask, self.lanes)[lanes].astype(np.int64) >> self.laneid[lanes]) & 1
        return lanes[member.astype(bool)]

    def _warp_sum(self, lanes, weights):
        return np.bincount(self.lane_warp[lanes], weights=weights, minlength=self.warp_sync.size)

    def all_sync(self, mask, line, membermask, predicate):
        lanes = self._vote_lanes(mask, membermask)
        truth = _array(self.truth(predicate), self.lanes)[lanes].astype(float)
        ok = self._warp_sum(lanes, truth) == self._warp_sum(lanes, np.ones(lanes.size))
        return ok[self.lane_warp].astype(np.int32)

    def any_sync(self, mask, line, membermask, predicate):
        lanes = self._vote_lanes(mask, membermask)
        truth = _array(self.truth(predicate), self.lanes)[lanes].astype(float)
        return (self._warp_sum(lanes, truth) > 0)[self.lane_warp].astype(np.int32)

    def eq_sync(self, mask, line, membermask, value):
        lanes = self._vote_lanes(mask, membermask)
        values = _array(value, self.lanes)
        first = np.zeros(self.warp_sync.size, values.dtype)
        first[self.lane_warp[lanes[::-1]]] = values[lanes[::-1]]
        differ = (values[lanes] != first[self.lane_warp[lanes]]).astype(float)
        return (self._warp_sum(lanes, differ) == 0)[self.lane_warp].astype(np.int32)

    def ballot_sync(self, mask, line, membermask, predicate):
        lanes = self._vote_lanes(mask, membermask)
        truth = _array(self.truth(predicate), self.lanes)[lanes]
        bits = np.where(truth, np.ldexp(1.0, self.laneid[lanes]), 0.0)
        return self._warp_sum(lanes, bits).astype(np.uint32)[self.lane_warp]

    def activemask(self, mask, line):
        lanes = self.active_lanes(mask)
        bits = np.ldexp(1.0, self.laneid[lanes])
        return self._warp_sum(lanes, bits).astype(np.uint32)[self.lane_warp]

    def lanemask_lt(self, mask, line):
        return ((np.uint64(1) << self.laneid.astype(np.uint64)) - np.uint64(1)).astype(np.uint32)

    def popc(self, mask, line, x):
        return np.bitwise_count(_unsigned(x)).astype(np.int32)

    def brev(self, mask, line, x):
        value = _unsigned(x)
        octets = np.ascontiguousarray(np.atleast_1d(value)).view(np.uint8)
        flipped = _BIT_REVERSE[octets].reshape(-1, value.dtype.itemsize)[:, ::-1]
        result = np.ascontiguousarray(flipped).view(value.dtype).reshape(np.shape(value))
        return result if isinstance(x, np.ndarray) else result[()]

    def clz(self, mask, line, x):
        value = _unsigned(x)
        width = value.dtype.itemsize * 8
        count = np.zeros(np.shape(value), np.int32)
        for shift in (32, 16, 8, 4, 2, 1):
            if shift >= width:
                continue
            high = (value >> np.array(width - shift, value.dtype)) == 0
            count = np.where(high, count + shift, count)
            value = np.where(high, value << np.array(shift, value.dtype), value)
        count = np.where((value >> np.array(width - 1, value.dtype)) == 0, count + 1, count)
        return count.astype(np.int32) if isinstance(x, np.ndarray) else np.int32(count)

    def ffs(self, mask, line, x):
        value = _unsigned(x)
        low = value & (~value + np.array(1, value.dtype))
        result = np.where(value == 0, 0, np.bitwise_count(low - np.array(1, value.dtype)) + 1)
        return result.astype(np.int32) if isinstance(x, np.ndarray) else np.int32(result)

    def fma(self, mask, line, a, b, c):
        """Fused multiply-add: one rounding, done here in double precision then narrowed."""
        kind = np.result_type(a, b, c)
        return (np.float64(1.0) * a * b + c).astype(kind) if kind.kind == "f" else a * b + c

    def selp(self, mask, line, predicate, a, b):
        return self.select(self.truth(predicate), a, b)

    def cbrt(self, mask, line, x):
        return np.cbrt(x)


_BIT_REVERSE = np.array([int(f"{b:08b}"[::-1], 2) for b in range(256)], np.uint8)


def _unsigned(x):
    value = np.asarray(x)
    if value.dtype.kind not in "iu":
        value = value.astype(np.int64)
    return value.astype(np.dtype(f"u{value.dtype.itemsize}"))
