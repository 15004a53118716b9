"""The repeat/mask/stride form of vector instructions: which elements one instruction touches.

`Add(dst, src0, src1, mask, repeatTimes, BinaryRepeatParams(...))` runs `repeatTimes` repeats
of 256 bytes each (8 data blocks of 32 bytes: 128 halves or 64 floats). Within a repeat, lane
l sits in block l // (32 / size) at position l % (32 / size); the block stride says how many
32-byte blocks apart consecutive blocks of one repeat are, the repeat stride how many blocks
apart consecutive repeats start. The mask picks the lanes that compute: an int k is the first
k lanes of every repeat ("continuous" mode), a list of two uint64 is a bit mask (bit l of
mask[0] for lanes 0-63, of mask[1] for lanes 64-127). Masked-off lanes of dst are left as
they were.

This module only checks the arguments and computes element indices; vector.py issues the
instruction and applies the numpy body.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from cudalike.cann import _context, errors

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
) -> np.ndarray:
    """Element indices into `tensor` of the active `lanes` of every repeat, shape (R, lanes).

    Raises:
        InstructionError: a negative stride.
        GlobalOutOfBoundsError: a repeat reading or writing past the tensor's end.
    """
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
    if indices.size and indices.max() >= tensor.length:
        bad = int(np.argmax((indices >= tensor.length).any(axis=1)))
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"{name} repeat {bad} of {repeat_times} reaches element {int(indices[bad].max())} "
            f"of {role}, a LocalTensor of {tensor.length} elements",
            "fewer repeats, smaller strides (they count 32-byte blocks), or a larger buffer",
            pipe="V",
        )
    return indices
