"""Unified Buffer bank conflicts: the extra cycles a vector instruction spends queueing for banks.

The UB of architecture 220x (Atlas A2/A3) is 48 banks of 128 rows of 32 bytes, in 16 bank
groups of 3 banks; consecutive 32-byte rows go to consecutive groups, and each 64 KB is one
layer of 16 banks (bank 16 follows bank 15, bank group g holds banks g, g+16 and g+32). In one
cycle the vector unit reads one row from each bank group and writes one row into each bank
group, and a bank is either read or written (hiascend.com, Ascend C best practices, "Avoiding
Bank Conflicts in the Unified Buffer"). So one repeat's data blocks take as many cycles as the
worst of:

- reads landing in one bank group (read/read: src0 and src1 in one group, or one source's
  8 blocks strided into one group),
- writes landing in one bank group (write/write: dst blocks strided into one group),
- reads and writes landing in one bank (read/write: a source and dst in one bank).

A repeat takes the longer of its compute pace (the profile's cycles per repeat of its cost
class) and the cycles its accesses need; only the excess is added, so a binary op (2 cycles a
repeat) absorbs a two-way conflict and a unary op (1 cycle) does not. Rows read twice in one
repeat (src0 and src1 the same tensor) are read once. The rule compares the operands of one
repeat, as the vendor's examples do; an in-place instruction (dst on its source) is a
read/write conflict by it.
"""

from __future__ import annotations

import functools

import numpy as np

from cudalike.model.devices_npu import NpuProfile

REPEAT_BLOCKS = 8


def first_n_conflicts(
    profile: NpuProfile,
    pace: float,
    dst,
    sources: tuple,
    count: int,
    dst_count: int,
    itemsize: int,
) -> float:
    """Bank-conflict cycles of a first-n instruction over `count` elements (repeats of 256
    bytes of the widest operand, `itemsize` bytes). A dst written with another element count
    than the sources read (a reduction's single results) is left out."""
    reads = tuple((t.byte_offset, t.dtype.itemsize) for t in sources)
    write = (dst.byte_offset, dst.dtype.itemsize) if dst_count == count else None
    return _first_n_cached(profile, pace, reads, write, count, itemsize)


@functools.lru_cache(maxsize=4096)
def _first_n_cached(
    profile: NpuProfile,
    pace: float,
    reads: tuple,
    write: tuple | None,
    count: int,
    itemsize: int,
) -> float:
    """first_n_conflicts on (byte offset, item size) pairs: kernels reuse a few buffers in a
    loop, so the answer is computed once per placement."""
    per_repeat = profile.vector_repeat_bytes // itemsize
    repeats = -(-count // per_repeat)
    rows = [_first_n_rows(profile, *read, count, per_repeat, repeats) for read in reads]
    written = [] if write is None else [_first_n_rows(profile, *write, count, per_repeat, repeats)]
    return conflict_cycles(profile, pace, rows, written)


def repeat_conflicts(
    profile: NpuProfile, pace: float, tensors: tuple, at: list, tail: int | None
) -> float:
    """Bank-conflict cycles of a repeat-form instruction: `tensors` are dst then the sources,
    `at` their element indices per repeat (vector_repeat.lane_indices)."""
    rows = [
        _indexed_rows(profile, t, indices, tail) for t, indices in zip(tensors, at, strict=True)
    ]
    return conflict_cycles(profile, pace, rows[1:], rows[:1])


def _first_n_rows(
    profile: NpuProfile, offset: int, size: int, count: int, per_repeat: int, repeats: int
):
    """UB rows the first `count` elements of `size` bytes from byte `offset` occupy in each
    repeat, shape (repeats, 8), -1 where a repeat uses fewer blocks."""
    row = profile.ub_bank_row_bytes
    first = np.arange(repeats) * per_repeat
    last = np.minimum(first + per_repeat, count) - 1
    first_row = (offset + first * size) // row
    last_row = (offset + last * size + size - 1) // row
    rows = first_row[:, None] + np.arange(REPEAT_BLOCKS)[None, :]
    used = (rows <= last_row[:, None]) & (last >= first)[:, None]
    return np.where(used, rows, -1)


def _indexed_rows(profile: NpuProfile, tensor, indices: np.ndarray, tail: int | None):
    """UB rows of the elements at `indices` (repeats, lanes) of `tensor`; with `tail`, the
    last repeat's lanes from `tail` on are not accessed."""
    rows = (tensor.byte_offset + indices * tensor.dtype.itemsize) // profile.ub_bank_row_bytes
    if tail is not None and rows.size:
        rows = rows.copy()
        rows[-1, tail:] = -1
    return rows


def conflict_cycles(
    profile: NpuProfile, pace: float, reads: list[np.ndarray], writes: list[np.ndarray]
) -> float:
    """Cycles the repeats of one instruction wait for UB banks beyond their compute `pace`.

    Args:
        profile: the NPU (bank groups, banks per group, row size, UB size).
        pace: cycles per repeat of the instruction with no conflict.
        reads: the rows each source reads per repeat, arrays of shape (repeats, k), -1 unused.
        writes: the same for the destination(s).
    """
    arrays = [a for a in (*reads, *writes) if a.size]
    if not arrays:
        return 0.0
    repeats = arrays[0].shape[0]
    read_rows = _unique_per_repeat(_join(reads, repeats))
    write_rows = _unique_per_repeat(_join(writes, repeats))
    groups = profile.ub_bank_groups
    rows_per_layer = groups * (
        profile.ub_bytes // (groups * profile.ub_banks_per_group * profile.ub_bank_row_bytes)
    )
    both = np.concatenate([read_rows, write_rows], axis=1)
    bank = np.where(both >= 0, (both // rows_per_layer) * groups + both % groups, -1)
    cycles = np.maximum.reduce(
        [
            _most_per_bin(np.where(read_rows >= 0, read_rows % groups, -1), groups),
            _most_per_bin(np.where(write_rows >= 0, write_rows % groups, -1), groups),
            _most_per_bin(bank, groups * profile.ub_banks_per_group),
            np.ones(repeats, dtype=np.int64),
        ]
    )
    return float(np.maximum(cycles - pace, 0.0).sum())


def _join(parts: list[np.ndarray], repeats: int) -> np.ndarray:
    present = [part.reshape(repeats, -1) for part in parts if part.size]
    if not present:
        return np.full((repeats, 0), -1, dtype=np.int64)
    return np.concatenate(present, axis=1).astype(np.int64)


def _unique_per_repeat(rows: np.ndarray) -> np.ndarray:
    """`rows` with each row address kept once per repeat (the others set to -1)."""
    ordered = np.sort(rows, axis=1)
    repeated = np.zeros_like(ordered, dtype=bool)
    repeated[:, 1:] = ordered[:, 1:] == ordered[:, :-1]
    return np.where(repeated, -1, ordered)


def _most_per_bin(ids: np.ndarray, bins: int) -> np.ndarray:
    """For each repeat, how many of its ids (0 <= id < bins; -1 ignored) share the commonest."""
    repeats = ids.shape[0]
    if ids.shape[1] == 0:
        return np.zeros(repeats, dtype=np.int64)
    slot = np.where(ids >= 0, ids, bins) + (bins + 1) * np.arange(repeats)[:, None]
    counts = np.bincount(slot.ravel(), minlength=repeats * (bins + 1)).reshape(repeats, -1)
    return counts[:, :bins].max(axis=1)
