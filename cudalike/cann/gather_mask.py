"""GatherMask: pack the elements a bit pattern selects, repeat after repeat, into dst.

`rsvdCnt = GatherMask(dst, src0, src1Pattern, reduceMode, mask, GatherMaskParams(...))`:
bit j of the pattern (a uint16 / uint32 LocalTensor, bit j % w of element j // w) keeps
element j of a repeat; kept elements land one after another from dst[0], and the count is
returned (Ascend C's rsvdCnt out-parameter). An int 1..7 instead of a tensor picks a built-in
pattern: 1 even elements, 2 odd, 3..6 element 0..3 of every four, 7 all.
reduceMode False (normal): each repeat covers 256 bytes, mask is unused. reduceMode True
(counter): each repeat covers `mask` elements, or with repeatTimes 0, `mask` elements in all.
Source: hiascend.com Ascend C API reference, GatherMask (atlasascendc_api_07_0180).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from cudalike.cann import _context, errors
from cudalike.cann.local import LocalTensor, access
from cudalike.cann.vector import check_operands, repeat_cycles

BLOCK = 32
# element order (the reference writes the bits most significant first: 1 is 0101...01)
BUILT_IN = {1: "10", 2: "01", 3: "1000", 4: "0100", 5: "0010", 6: "0001", 7: "1"}


@dataclasses.dataclass
class GatherMaskParams:
    """Strides of GatherMask in 32-byte blocks (src1RepeatStride 0 reuses one pattern)."""

    src0BlockStride: int = 1
    repeatTimes: int = 1
    src0RepeatStride: int = 8
    src1RepeatStride: int = 8


def GatherMask(  # noqa: N802 - Ascend C's name
    dst: LocalTensor,
    src0: LocalTensor,
    src1Pattern,  # noqa: N803
    reduceMode: bool,  # noqa: N803
    mask: int,
    params: GatherMaskParams,
) -> int:
    """Pack the selected elements of src0 into dst; return how many were kept (rsvdCnt)."""
    name = "GatherMask"
    core = _context.current(name)
    patterned = isinstance(src1Pattern, LocalTensor)
    check_operands(name, dst, (src0, src1Pattern) if patterned else (src0,), False)
    if dst.dtype != src0.dtype or src0.dtype.itemsize not in (2, 4):
        raise _context.error(
            errors.InstructionError,
            f"GatherMask from {src0.dtype} into {dst.dtype}: it takes one 16- or 32-bit type",
            pipe="V",
        )
    itemsize = src0.dtype.itemsize
    lanes, per_block = 256 // itemsize, BLOCK // itemsize
    repeats = int(params.repeatTimes)
    if reduceMode:
        counts = [int(mask)] * repeats if repeats else _split(int(mask), lanes)
    else:
        counts = [lanes] * repeats
    kept = []
    for r, count in enumerate(counts):
        j = np.arange(count)
        base = r * params.src0RepeatStride * per_block
        at = base + (j // per_block) * params.src0BlockStride * per_block + j % per_block
        bits = _bits(name, src1Pattern, r * params.src1RepeatStride * BLOCK, count)
        kept.append(_read(name, src0, at)[bits])
    values = np.concatenate(kept) if kept else np.zeros(0, dst.dtype)
    if len(values) > dst.length:
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"GatherMask keeps {len(values)} elements; dst holds {dst.length}",
            pipe="V",
        )
    reads = (src0, src1Pattern) if patterned else (src0,)
    access(
        core,
        "V",
        repeat_cycles(core, "unary", len(counts), itemsize),
        name,
        reads=reads,
        writes=(dst,),
    )
    dst.array[: len(values)] = values
    return len(values)


def _split(total: int, lanes: int) -> list[int]:
    return [min(lanes, total - start) for start in range(0, total, lanes)]


def _read(name: str, tensor: LocalTensor, at: np.ndarray) -> np.ndarray:
    if at.size and at.max() >= tensor.length:
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"{name} reads element {int(at.max())} of a LocalTensor of {tensor.length}",
            "check repeatTimes, mask and the strides",
            pipe="V",
        )
    return tensor.array[at]


def _bits(name: str, pattern, byte_offset: int, count: int) -> np.ndarray:
    """The first `count` selection bits of one repeat's pattern."""
    if not isinstance(pattern, LocalTensor):
        if int(pattern) not in BUILT_IN:
            raise _context.error(
                errors.InstructionError,
                f"{name} built-in pattern {pattern}: the built-in patterns are 1 to 7",
                pipe="V",
            )
        cycle = np.array([c == "1" for c in BUILT_IN[int(pattern)]])
        return np.resize(cycle, count)
    raw = pattern.array.view(np.uint8)
    need = byte_offset + -(-count // 8)
    if need > raw.size:
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"{name} reads pattern byte {need - 1} of a tensor of {raw.size} bytes",
            pipe="V",
        )
    return np.unpackbits(raw[byte_offset:need], bitorder="little")[:count].astype(bool)
