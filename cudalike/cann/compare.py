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
from cudalike.cann.local import LocalTensor
from cudalike.cann.vector import _quiet, _run, _same_type


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
    sources = (src0,) if src1 is None else (src0, src1)
    _, a, *rest = _run(name, dst, sources, count, "binary", dst_count=count // 8)
    with _quiet():
        bits = test(a, rest[0] if rest else src0.dtype.type(src1_scalar[0]))
    dst.array[: count // 8] = np.packbits(bits, bitorder="little")


src1_scalar: list = [0]


def Compare(dst: LocalTensor, src0: LocalTensor, src1: LocalTensor, cmpMode, count) -> None:
    """Bit i of dst = (src0[i] `cmpMode` src1[i]) for i < count (a multiple of 256 bytes).

    Raises:
        InstructionError: a count that is not whole repeats, or dst not uint8.

    Differences: the repeat form (mask, repeatTimes, params), which writes the CMPMASK
    register, is not supported; use this form with Select's VSEL_TENSOR_TENSOR_MODE.
    """
    _same_type("Compare", src0, src1)
    _compare("Compare", dst, src0, src1, cmpMode, count)
