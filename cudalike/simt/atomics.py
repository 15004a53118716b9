"""Atomic operations of the SIMT engine, exact and deterministic.

On a GPU the atomics of one instruction to one address are all performed, in an undefined
order. Here they are performed one lane after another in lane order (block by block, thread
by thread), so the old values returned and float sums come out the same on every run.
"""

from __future__ import annotations

import numpy as np

from cudalike.simt import memory, races


def _array(value, lanes: int) -> np.ndarray:
    return value if isinstance(value, np.ndarray) else np.full(lanes, value)


class AtomicsMixin:
    """The atomics part of the chunk context (see engine.ChunkContext)."""

    def _atomic(self, mask, line, ary, idx, values, update):
        if hasattr(ary, "selector"):  # an ArrayChoice: each lane's own array
            return ary.atomic(self, mask, line, idx, values, update)
        index = idx if isinstance(idx, tuple) else (idx,)
        flat = memory.flat_index(self, ary, index, mask, line)
        lanes = self.active_lanes(mask)
        result = np.zeros(self.lanes, ary.dtype)
        if lanes.size == 0:
            return result
        position = _array(memory.storage_index(self, ary, flat), self.lanes)[lanes]
        operands = [_array(v, self.lanes)[lanes].astype(ary.dtype) for v in values]
        if self.checks and ary.space == "shared":
            races.shared_read(self, ary, position, lanes, line, atomic=True)
        if ary.space == "global":
            self.acquired[self.global_block(lanes)] = True
        if self.counting is not None:
            self.counting.atomic(self, ary, position, lanes, line)
        if self.trace is not None:
            self.trace.atomic(self, ary, _array(flat, self.lanes)[lanes], lanes, line)
        result[lanes] = _apply_in_lane_order(ary.storage, position, operands, update)
        if self.checks and ary.space == "shared":
            races.shared_write(self, ary, position, lanes, line, atomic=True)
        return result

    def atomic_add(self, mask, line, ary, idx, val):
        return self._atomic(mask, line, ary, idx, [val], np.add)

    def atomic_sub(self, mask, line, ary, idx, val):
        return self._atomic(mask, line, ary, idx, [val], np.subtract)

    def atomic_max(self, mask, line, ary, idx, val):
        return self._atomic(mask, line, ary, idx, [val], _ignoring_nan_operand(np.maximum, val))

    def atomic_min(self, mask, line, ary, idx, val):
        return self._atomic(mask, line, ary, idx, [val], _ignoring_nan_operand(np.minimum, val))

    def atomic_nanmax(self, mask, line, ary, idx, val):
        return self._atomic(mask, line, ary, idx, [val], np.fmax)

    def atomic_nanmin(self, mask, line, ary, idx, val):
        return self._atomic(mask, line, ary, idx, [val], np.fmin)

    def atomic_and(self, mask, line, ary, idx, val):
        return self._atomic(mask, line, ary, idx, [val], np.bitwise_and)

    def atomic_or(self, mask, line, ary, idx, val):
        return self._atomic(mask, line, ary, idx, [val], np.bitwise_or)

    def atomic_xor(self, mask, line, ary, idx, val):
        return self._atomic(mask, line, ary, idx, [val], np.bitwise_xor)

    def atomic_exch(self, mask, line, ary, idx, val):
        return self._atomic(mask, line, ary, idx, [val], lambda old, new: new)

    def atomic_inc(self, mask, line, ary, idx, val):
        return self._atomic(
            mask, line, ary, idx, [val], lambda old, limit: np.where(old >= limit, 0, old + 1)
        )

    def atomic_dec(self, mask, line, ary, idx, val):
        return self._atomic(
            mask,
            line,
            ary,
            idx,
            [val],
            lambda old, limit: np.where((old == 0) | (old > limit), limit, old - 1),
        )

    def atomic_cas(self, mask, line, ary, idx, old, val):
        return self._atomic(
            mask,
            line,
            ary,
            idx,
            [old, val],
            lambda current, expected, new: np.where(current == expected, new, current),
        )

    def atomic_compare_and_swap(self, mask, line, ary, old, val):
        return self.atomic_cas(mask, line, ary, 0, old, val)


def _ignoring_nan_operand(update: np.ufunc, values):
    """numba's atomic max/min: a NaN operand leaves the element as it was; a NaN element
    stays NaN (unlike nanmax/nanmin, which replace it). Without NaN operands, `update`
    itself, which keeps the fast path for many lanes on one element."""
    array = np.asarray(values)
    if array.dtype.kind not in "fc" or not np.isnan(array).any():
        return update

    def apply(current, value):
        return np.where(np.isnan(value), current, update(current, value))

    return apply


def _apply_in_lane_order(storage, position, operands, update):
    """Apply `update` to storage[position] one lane after another; return each lane's old value."""
    order = np.argsort(position, kind="stable")
    sorted_position = position[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_position)) + 1]
    sizes = np.diff(np.r_[starts, sorted_position.size])
    rank = np.arange(sorted_position.size) - np.repeat(starts, sizes)
    old = np.empty(position.size, storage.dtype)
    accumulate = update if isinstance(update, np.ufunc) and len(operands) == 1 else None
    big = np.repeat(sizes > 64, sizes) if accumulate is not None else np.zeros(rank.size, bool)
    for level in range(int(rank[~big].max()) + 1 if (~big).any() else 0):
        chosen = order[(rank == level) & ~big]
        where = position[chosen]
        current = storage[where]
        old[chosen] = current
        storage[where] = update(current, *(o[chosen] for o in operands))
    for start, size in (
        zip(starts[sizes > 64], sizes[sizes > 64], strict=True) if accumulate else ()
    ):
        chosen = order[start : start + size]
        where = position[chosen[0]]
        chain = accumulate.accumulate(
            np.r_[storage[where : where + 1], operands[0][chosen]], dtype=storage.dtype
        )
        old[chosen] = chain[:-1]
        storage[where] = chain[-1]
    return old
