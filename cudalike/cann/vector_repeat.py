"""The repeat/mask/stride form of vector instructions: which elements one instruction touches.

`Add(dst, src0, src1, mask, repeatTimes, BinaryRepeatParams(...))` runs `repeatTimes` repeats
of 256 bytes each (8 data blocks of 32 bytes: 128 halves or 64 floats). Within a repeat, lane
l sits in block l // (32 / size) at position l % (32 / size); the block stride says how many
32-byte blocks apart consecutive blocks of one repeat are, the repeat stride how many blocks
apart consecutive repeats start. The mask picks the lanes that compute: an int k is the first
k lanes of every repeat ("continuous" mode), a list of two uint64 is a bit mask (bit l of
mask[0] for lanes 0-63, of mask[1] for lanes 64-127). Masked-off lanes of dst are left as
they were.

Repeats are issued in order, each reading what the earlier ones wrote: `Add(work, src, work,
64, R, {1, 1, 1, 0, 8, 0})` accumulates R repeats of src into work, as production reductions
rely on. `Plan.ordered` says when that matters (a later repeat reads or rewrites bytes an
earlier one wrote); only then are repeats computed one after another, otherwise all at once.

This module checks the arguments, computes element indices and runs a numpy body over them;
vector.py (and cast, compare, reduce) issue the instruction and choose the body.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from cudalike.cann import _context, errors, masks

BLOCK_BYTES = 32
REPEAT_BYTES = 256
MAX_REPEAT_TIMES = 255


@dataclasses.dataclass
class BinaryRepeatParams:
    """Strides of a two-source instruction, in 32-byte blocks (Ascend C's BinaryRepeatParams).

    Attributes:
        dstBlkStride: blocks between consecutive blocks of one repeat in dst (default 1).
        src0BlkStride: the same in src0 (default 1).
        src1BlkStride: the same in src1 (default 1).
        dstRepStride: blocks between the starts of consecutive repeats in dst (default 8).
        src0RepStride: the same in src0 (default 8).
        src1RepStride: the same in src1 (default 8).
    """

    dstBlkStride: int = 1
    src0BlkStride: int = 1
    src1BlkStride: int = 1
    dstRepStride: int = 8
    src0RepStride: int = 8
    src1RepStride: int = 8

    def strides(self) -> list[tuple[int, int]]:
        """(block stride, repeat stride) of dst, src0, src1."""
        return [
            (self.dstBlkStride, self.dstRepStride),
            (self.src0BlkStride, self.src0RepStride),
            (self.src1BlkStride, self.src1RepStride),
        ]


@dataclasses.dataclass
class UnaryRepeatParams:
    """Strides of a one-source instruction, in 32-byte blocks (Ascend C's UnaryRepeatParams).

    Attributes:
        dstBlkStride: blocks between consecutive blocks of one repeat in dst (default 1).
        srcBlkStride: the same in src (default 1).
        dstRepStride: blocks between the starts of consecutive repeats in dst (default 8).
        srcRepStride: the same in src (default 8).
    """

    dstBlkStride: int = 1
    srcBlkStride: int = 1
    dstRepStride: int = 8
    srcRepStride: int = 8

    def strides(self) -> list[tuple[int, int]]:
        """(block stride, repeat stride) of dst, src."""
        return [(self.dstBlkStride, self.dstRepStride), (self.srcBlkStride, self.srcRepStride)]


def check_repeat_times(name: str, repeat_times) -> int:
    """repeatTimes as an int, or an InstructionError if outside [0, 255]."""
    repeat_times = int(repeat_times)
    if not 0 <= repeat_times <= MAX_REPEAT_TIMES:
        raise _context.error(
            errors.InstructionError,
            f"{name} with repeatTimes={repeat_times}: the hardware takes 0 to "
            f"{MAX_REPEAT_TIMES} repeats in one instruction (an 8-bit field)",
            f"split the work into instructions of at most {MAX_REPEAT_TIMES} repeats, or use "
            "the first-n form (count), which does that for you",
            pipe="V",
        )
    return repeat_times


def lanes_per_repeat(dtype: np.dtype) -> int:
    """Elements in one 256-byte repeat: 128 halves, 64 floats."""
    return REPEAT_BYTES // np.dtype(dtype).itemsize


def active_lanes(name: str, mask, dtype: np.dtype) -> np.ndarray:
    """Indices (within a repeat) of the lanes `mask` enables, for elements of `dtype`.

    Raises:
        InstructionError: a continuous mask outside [1, lanes], or a bit mask with bits set
            beyond the lanes of the type (mask[1] must be 0 for 32-bit types).
    """
    lanes = lanes_per_repeat(dtype)
    if isinstance(mask, int | np.integer):
        mask = int(mask)
        if not 1 <= mask <= lanes:
            raise _context.error(
                errors.InstructionError,
                f"{name} with mask={mask}: a continuous mask for {np.dtype(dtype)} takes 1 to "
                f"{lanes} lanes (one repeat is 256 bytes = {lanes} elements)",
                f"use mask={lanes} for full repeats and a last instruction with the remainder",
                pipe="V",
            )
        return np.arange(mask)
    words = [int(word) for word in mask]
    if not 1 <= len(words) <= 2 or any(not 0 <= word < 2**64 for word in words):
        raise _context.error(
            errors.InstructionError,
            f"{name} with bit mask {mask!r}: give one or two uint64 words",
            "mask = [low 64 lanes, high 64 lanes]; the high word is 0 for float",
            pipe="V",
        )
    bits = np.array(
        [(words[i // 64] >> (i % 64)) & 1 if i // 64 < len(words) else 0 for i in range(128)],
        dtype=bool,
    )
    if bits[lanes:].any():
        raise _context.error(
            errors.InstructionError,
            f"{name} bit mask {mask!r} enables lanes past the {lanes} elements of a "
            f"{np.dtype(dtype)} repeat",
            "for 32-bit types set mask[1] = 0 and use only the low 64 bits",
            pipe="V",
        )
    if not bits.any():
        raise _context.error(errors.InstructionError, f"{name} with an all-zero bit mask", pipe="V")
    return np.flatnonzero(bits)


def lane_indices(
    name: str,
    tensor,
    lanes: np.ndarray,
    repeat_times: int,
    block_stride: int,
    repeat_stride: int,
    role: str,
    tail: int | None = None,
) -> np.ndarray:
    """Element indices into `tensor` of the active `lanes` of every repeat, shape (R, lanes).

    With `tail` (Counter mode) the last repeat uses only its first `tail` lanes; the rest of
    that row is not checked and never used.

    Raises:
        InstructionError: a negative stride.
        GlobalOutOfBoundsError: a repeat reading or writing past the tensor's end.
    """
    block_stride, repeat_stride = int(block_stride), int(repeat_stride)
    if block_stride < 0 or repeat_stride < 0:
        raise _context.error(
            errors.InstructionError,
            f"{name} {role} strides ({block_stride}, {repeat_stride}) must not be negative",
            pipe="V",
        )
    per_block = BLOCK_BYTES // tensor.dtype.itemsize
    in_repeat = (lanes // per_block) * block_stride * per_block + lanes % per_block
    starts = np.arange(repeat_times) * repeat_stride * per_block
    indices = starts[:, None] + in_repeat[None, :]
    used = indices if tail is None else indices.copy()
    if tail is not None:
        used[-1, tail:] = used[-1, 0]
    if used.size and used.max() >= tensor.length:
        bad = int(np.argmax((used >= tensor.length).any(axis=1)))
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"{name} repeat {bad} of {repeat_times} reaches element {int(used[bad].max())} "
            f"of {role}, a LocalTensor of {tensor.length} elements",
            "fewer repeats, smaller strides (they count 32-byte blocks), or a larger buffer",
            pipe="V",
        )
    return used


def resolve_mask(
    name: str, core, mask, repeat_times, dtype: np.dtype, is_set_mask: bool
) -> tuple[np.ndarray, int, int | None]:
    """(active lanes, repeats, lanes of a partial last repeat or None) of one instruction.

    With `is_set_mask` the instruction writes `mask` into the register first (Normal mode);
    without, it reads the register SetVectorMask set, in Normal or Counter mode.
    """
    state = masks.register(core)
    if is_set_mask:
        if state.counter:
            raise _context.error(
                errors.InstructionError,
                f"{name} with a mask argument while SetMaskCount() is in force: the "
                "instruction would write its mask into the element counter",
                f"in Counter mode call {name}(..., MASK_PLACEHOLDER, 1, params, "
                "isSetMask=False) after SetVectorMask(count), or SetMaskNorm() first",
                pipe="V",
            )
        repeats = check_repeat_times(name, repeat_times)
        lanes = active_lanes(name, mask, dtype)
        if isinstance(mask, int | np.integer):
            state.high, state.low = masks.continuous_words(int(mask))
        else:
            words = [int(word) for word in mask] + [0]
            state.low, state.high = words[0], words[1]
        return lanes, repeats, None
    per_repeat = lanes_per_repeat(dtype)
    if state.counter:
        count = state.low
        repeats, tail = -(-count // per_repeat), count % per_repeat or None
        return np.arange(per_repeat), repeats, tail
    repeats = check_repeat_times(name, repeat_times)
    bits = [(state.low >> i) & 1 if i < 64 else (state.high >> (i - 64)) & 1 for i in range(128)]
    lanes = np.flatnonzero(np.array(bits[:per_repeat], dtype=bool))
    if not lanes.size:
        raise _context.error(
            errors.InstructionError,
            f"{name} with isSetMask=False and no {np.dtype(dtype)} lane set in the mask register",
            "SetVectorMask(...) before the instruction, or ResetMask() for all lanes",
            pipe="V",
        )
    return lanes, repeats, None


def _rows(tensor, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Store byte interval [low, high) of each repeat of `at`."""
    size = tensor.dtype.itemsize
    low = tensor.byte_offset + at.min(axis=1).astype(np.int64) * size
    return low, tensor.byte_offset + (at.max(axis=1).astype(np.int64) + 1) * size


def _may_depend(dst_rows, src_rows) -> bool:
    """Whether a repeat's source interval meets the dst interval of an earlier repeat, for dst
    intervals ascending and disjoint."""
    dst_low, dst_high = dst_rows
    src_low, src_high = src_rows
    first = np.searchsorted(dst_high, src_low, side="right")
    earlier = first < np.arange(len(src_low))
    meets = dst_low[np.minimum(first, len(dst_low) - 1)] < src_high
    return bool((earlier & meets).any())


def needs_order(tensors: tuple, at: list[np.ndarray]) -> bool:
    """Whether repeats must run one by one: True whenever a repeat reads or rewrites bytes an
    earlier repeat of dst (tensors[0]) wrote.

    Decided on each repeat's byte interval, which settles the usual cases (dense, in place,
    disjoint buffers) at once; interleaved footprints whose intervals meet without sharing a
    byte also run one by one, which gives the same result a little slower.
    """
    if at[0].shape[0] <= 1 or not at[0].size:
        return False
    dst = tensors[0]
    dst_rows = _rows(dst, at[0])
    if (dst_rows[0][1:] < dst_rows[1][:-1]).any():
        return True
    return any(
        tensor.slot.store is dst.slot.store and _may_depend(dst_rows, _rows(tensor, indices))
        for tensor, indices in zip(tensors[1:], at[1:], strict=True)
    )


@dataclasses.dataclass
class Plan:
    """Where one repeat-form instruction reads and writes, in issue order.

    Attributes:
        at: element indices (R, lanes) of dst, then of each source.
        tail: lanes of a partial last repeat (Counter mode), or None.
        ordered: whether a repeat depends on an earlier one (then they run one by one).
        lanes: the active lanes of each repeat, where the instruction has a lane mask.
    """

    at: list[np.ndarray]
    tail: int | None
    ordered: bool
    lanes: np.ndarray | None = None

    @property
    def repeats(self) -> int:
        return self.at[0].shape[0]

    def batches(self) -> list[tuple[slice, slice]]:
        """(rows, lanes) to compute together, in the order the hardware issues them."""
        full = self.repeats - 1 if self.tail else self.repeats
        if self.ordered:
            rows = [slice(r, r + 1) for r in range(full)]
        else:
            rows = [slice(0, full)] if full else []
        pairs = [(r, slice(None)) for r in rows]
        if self.tail:
            pairs.append((slice(full, full + 1), slice(0, self.tail)))
        return pairs


def execute(plan: Plan, dst, sources: tuple, body) -> None:
    """dst[at] = body(*source values) batch by batch; body gets (rows, lanes) arrays."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for rows, lanes in plan.batches():
            at = [indices[rows, lanes] for indices in plan.at]
            if at[0].size:
                dst.array[at[0]] = body(*(t.array[i] for t, i in zip(sources, at[1:], strict=True)))
