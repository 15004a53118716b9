"""Compare, CompareScalar and Select: element-wise tests packed into a bit mask, and choosing.

`Compare(dst, src0, src1, CMPMODE.LT, count)` writes one bit per element into a uint8 tensor,
as the hardware does: element i is bit i % 8 of byte i // 8 (least significant bit first).
`Select(dst, selMask, src0, src1, SELMODE.VSEL_TENSOR_TENSOR_MODE, count)` takes src0[i] where
bit i is set and src1[i] where it is not; VSEL_TENSOR_SCALAR_MODE takes a scalar for src1.
The count of Compare must cover whole 256-byte repeats, as on the hardware.
"""

from __future__ import annotations

import enum

import numpy as np

from cudalike.cann import _context, errors, vector_repeat
from cudalike.cann.local import LocalTensor, access
from cudalike.cann.vector import _quiet, _run, _same_type, check_operands, cycles


class CMPMODE(enum.Enum):
    """Comparison of Compare (Ascend C's CMPMODE)."""

    LT = "lt"
    GT = "gt"
    EQ = "eq"
    LE = "le"
    GE = "ge"
    NE = "ne"


class SELMODE(enum.Enum):
    """How Select reads its operands (Ascend C's SELMODE)."""

    VSEL_CMPMASK_SPR = 0  # the mask register set by the last Compare (not supported)
    VSEL_TENSOR_SCALAR_MODE = 1  # src0 where the bit is set, else a scalar
    VSEL_TENSOR_TENSOR_MODE = 2  # src0 where the bit is set, else src1


_TESTS = {
    CMPMODE.LT: np.less,
    CMPMODE.GT: np.greater,
    CMPMODE.EQ: np.equal,
    CMPMODE.LE: np.less_equal,
    CMPMODE.GE: np.greater_equal,
    CMPMODE.NE: np.not_equal,
}


def _check_mask_tensor(name: str, mask: LocalTensor, count: int, role: str) -> None:
    if mask.dtype != np.uint8:
        raise _context.error(
            errors.InstructionError,
            f"{name} {role} is {mask.dtype}; the bit mask lives in a uint8 LocalTensor",
            "allocate it as AllocTensor(uint8) (or Get(uint8) on a TBuf)",
            pipe="V",
        )
    if mask.length * 8 < count:
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"{name} needs {-(-count // 8)} mask bytes for {count} elements; {role} has "
            f"{mask.length}",
            "one bit per element: count / 8 bytes",
            pipe="V",
        )


def _compare(name: str, dst, src0, src1, mode, count) -> None:
    """Compare src0 with a tensor or a scalar `src1` and pack the results into dst's bits."""
    count = int(count)
    repeat = vector_repeat.lanes_per_repeat(src0.dtype)
    if count <= 0 or count % repeat:
        raise _context.error(
            errors.InstructionError,
            f"{name} of {count} {src0.dtype} elements: the count must be a positive multiple "
            f"of {repeat} (whole 256-byte repeats)",
            "pad the tile to a multiple of 256 bytes (Duplicate a filler value into the tail)",
            pipe="V",
        )
    _check_mask_tensor(name, dst, count, "dst")
    test = _TESTS[CMPMODE(mode)]
    scalar = not isinstance(src1, LocalTensor)
    sources = (src0,) if scalar else (src0, src1)
    _, a, *rest = _run(name, dst, sources, count, "unary" if scalar else "binary", dst_count=1)
    with _quiet():
        bits = test(a, src0.dtype.type(src1) if scalar else rest[0])
    dst.array[: count // 8] = np.packbits(bits, bitorder="little")


def Compare(dst: LocalTensor, src0: LocalTensor, src1: LocalTensor, cmpMode, count) -> None:
    """Bit i of dst = (src0[i] `cmpMode` src1[i]) for i < count (a multiple of 256 bytes).

    Raises:
        InstructionError: a count that is not whole repeats, or dst not uint8.

    Differences: the repeat form (mask, repeatTimes, params), which writes the CMPMASK
    register, is not supported; use this form with Select's VSEL_TENSOR_TENSOR_MODE.
    """
    _same_type("Compare", src0, src1)
    _compare("Compare", dst, src0, src1, cmpMode, count)


def CompareScalar(dst: LocalTensor, src0: LocalTensor, scalar, cmpMode, count) -> None:
    """Bit i of dst = (src0[i] `cmpMode` scalar) for i < count (a multiple of 256 bytes)."""
    _compare("CompareScalar", dst, src0, scalar, cmpMode, count)


def Select(dst: LocalTensor, selMask: LocalTensor, src0: LocalTensor, src1, selMode, count) -> None:
    """dst[i] = src0[i] where bit i of selMask is set, else src1[i] (or the scalar src1).

    Args:
        dst: result, same type as src0.
        selMask: uint8 bits, as Compare writes them.
        src0: taken where the bit is 1.
        src1: a LocalTensor (VSEL_TENSOR_TENSOR_MODE) or a scalar (VSEL_TENSOR_SCALAR_MODE).
        selMode: a SELMODE.
        count: elements, from 1 on.

    Raises:
        NotImplementedError: VSEL_CMPMASK_SPR (use a mask tensor and TENSOR_TENSOR mode).
    """
    mode = SELMODE(selMode)
    if mode == SELMODE.VSEL_CMPMASK_SPR:
        raise NotImplementedError(
            "Select with VSEL_CMPMASK_SPR (the CMPMASK register) is not supported; pass the "
            "mask tensor Compare wrote and use VSEL_TENSOR_TENSOR_MODE or TENSOR_SCALAR_MODE"
        )
    count = int(count)
    tensor_mode = mode == SELMODE.VSEL_TENSOR_TENSOR_MODE
    if tensor_mode != isinstance(src1, LocalTensor):
        raise TypeError(
            f"Select in {mode.name} takes src1 as a " + ("LocalTensor" if tensor_mode else "scalar")
        )
    _same_type("Select", dst, src0, *((src1,) if tensor_mode else ()))
    _check_mask_tensor("Select", selMask, count, "selMask")
    sources = (src0, src1) if tensor_mode else (src0,)
    check_operands("Select", dst, (*sources, selMask), floats_only=False)
    for tensor in (dst, *sources):
        if not 0 < count <= tensor.length:
            raise _context.error(
                errors.GlobalOutOfBoundsError,
                f"Select of {count} elements on a LocalTensor of {tensor.length}",
                "count must be positive and fit in every operand",
                pipe="V",
            )
    core = _context.current("Select")
    cost = cycles(core, "binary", count, dst.dtype.itemsize)
    access(core, "V", cost, "Select", reads=(*sources, selMask), writes=(dst,))
    bits = np.unpackbits(selMask.array[: -(-count // 8)], bitorder="little")[:count]
    other = src1.array[:count] if tensor_mode else dst.dtype.type(src1)
    dst.array[:count] = np.where(bits.astype(bool), src0.array[:count], other)
