"""Parameter structures of the cube instructions, with the vendor's field names and order.

Units follow the vendor's reference (docs/cann.md cites the pages): Nd2NzParams strides in
elements or in C0 = 32-byte rows, LoadData2DParams in 512-byte fractals, Fixpipe's srcStride
in rows of the L0C matrix (16 elements each) and its ND dstStride in elements.
"""

from __future__ import annotations

import dataclasses
import enum


@dataclasses.dataclass
class Nd2NzParams:
    """DataCopy GM -> L1 of ndNum ND (row-major) matrices, converted to NZ.

    Attributes:
        ndNum: matrices to copy.
        nValue: rows of each matrix.
        dValue: columns of each matrix (the last 32-byte block of a row is zero-padded).
        srcNdMatrixStride: elements between the source matrices.
        srcDValue: row pitch of the source in elements (K for an M x K matrix).
        dstNzC0Stride: distance between the column strips in the destination, in 32-byte
            rows: the destination's height (usually nValue rounded up to 16).
        dstNzNStride: distance between consecutive rows in the destination, in 32-byte rows
            (1 for a plain matrix).
        dstNzMatrixStride: elements between the destination matrices.
    """

    ndNum: int = 1
    nValue: int = 0
    dValue: int = 0
    srcNdMatrixStride: int = 0
    srcDValue: int = 0
    dstNzC0Stride: int = 0
    dstNzNStride: int = 1
    dstNzMatrixStride: int = 0


@dataclasses.dataclass
class LoadData2DParams:
    """LoadData L1 (or GM) -> L0A/L0B of repeatTimes 512-byte fractals (Load2D).

    Repeat r reads source fractal startIndex + r * srcStride and writes destination fractal
    r * (dstGap + 1); ifTranspose transposes each 16 x 16 fractal of a 16-bit type.

    Attributes:
        startIndex: first source fractal (units of 512 bytes).
        repeatTimes: fractals to move (1..255).
        srcStride: source fractals from one repeat to the next.
        sid: reserved, 0.
        dstGap: destination fractals skipped between repeats.
        ifTranspose: transpose each fractal (half / int16 / uint16 only).
        addrMode: 0 (addresses increase; the only mode supported here).
    """

    startIndex: int = 0
    repeatTimes: int = 0
    srcStride: int = 0
    sid: int = 0
    dstGap: int = 0
    ifTranspose: bool = False
    addrMode: int = 0


@dataclasses.dataclass
class LoadData2DParamsV2:
    """A window of fractals of an NZ matrix in L1, loaded in one call (the newer Load2D form).

    The window is fractal rows [mStartPosition, + mStep) and fractal columns
    [kStartPosition, + kStep) of a source srcStride fractals high; it lands in fractal-row-
    major order (zZ: what L0A and, with ifTranspose on a K x N matrix, L0B expect), each
    fractal transposed with ifTranspose.

    Attributes:
        mStartPosition, kStartPosition: the window's first fractal row and column.
        mStep, kStep: its height and width in fractals.
        srcStride: the source's height in fractals (its rows / 16).
        dstStride: destination fractals from one window row to the next (0: kStep).
        ifTranspose: transpose each fractal.
        sid: reserved, 0.
    """

    mStartPosition: int = 0
    kStartPosition: int = 0
    mStep: int = 1
    kStep: int = 1
    srcStride: int = 1
    dstStride: int = 0
    ifTranspose: bool = False
    sid: int = 0


@dataclasses.dataclass
class MmadParams:
    """Mmad's shape: c (m x n) = a (m x k) @ b (k x n), plus c when accumulating.

    Positional order is CANN's constructor MmadParams(m, n, k, unitFlag, cmatrixSource,
    cmatrixInitVal) (kernel_struct_mm.h).

    Attributes:
        m: rows of a and c (1..4095).
        n: columns of b and c (1..4095).
        k: columns of a, rows of b (1..4095).
        unitFlag: reserved, 0 (L0C hand-over granularity, not modelled).
        cmatrixInitVal: True to overwrite c (first k step), False to accumulate into it.
        cmatrixSource: bias from the bias table (set by passing a bias tensor to Mmad).
        isBias: accepted for source compatibility; a bias tensor argument decides.
    """

    m: int = 0
    n: int = 0
    k: int = 0
    unitFlag: int = 0
    cmatrixSource: bool = False
    cmatrixInitVal: bool = True
    isBias: bool = False


class QuantMode_t(enum.Enum):  # noqa: N801 - Ascend C's name
    """Conversion Fixpipe applies on the way out of L0C."""

    NoQuant = "NoQuant"
    F322F16 = "F322F16"


class CO2Layout(enum.Enum):
    """What Fixpipe writes: ROW_MAJOR converts NZ to ND on the way, NZ keeps the fractals."""

    ROW_MAJOR = "ROW_MAJOR"
    NZ = "NZ"


CFG_ROW_MAJOR = CO2Layout.ROW_MAJOR  # Fixpipe's default template configuration
CFG_NZ = CO2Layout.NZ


@dataclasses.dataclass
class FixpipeParamsV220:
    """Fixpipe L0C -> GM (or L1) of an mSize x nSize block, converting on the way.

    Positional order is CANN's constructor FixpipeParamsV220(nSize, mSize, srcStride,
    dstStride, reluEn, quantPre, deqScalar, ndNum, srcNdStride, dstNdStride, unitFlag)
    (kernel_struct_fixpipe.h).

    Attributes:
        nSize: columns to write (1..4095).
        mSize: rows to write; with m not a multiple of 16 the padding rows are read and
            dropped.
        srcStride: distance between the column strips of the L0C matrix in rows of 16
            elements, i.e. its height: a multiple of 16, at least mSize (usually m rounded up
            to 16).
        dstStride: ND output (CFG_ROW_MAJOR): elements per destination row; NZ output
            (CFG_NZ): distance between destination strips in 32-byte blocks.
        quantPre: F322F16 converts fp32 to fp16 (round to nearest even); NoQuant keeps fp32.
        deqScalar: scale of the dequantising modes (not supported: 0).
        ndNum: ND matrices to write (only 1 is supported).
        srcNdStride, dstNdStride: distances between those matrices (unused with ndNum = 1).
        reluEn: apply ReLU on the way out.
        unitFlag: reserved, 0.
        isChannelSplit: reserved, False.
    """

    nSize: int = 0
    mSize: int = 0
    srcStride: int = 0
    dstStride: int = 0
    reluEn: bool = False
    quantPre: QuantMode_t = QuantMode_t.NoQuant
    deqScalar: int = 0
    ndNum: int = 1
    srcNdStride: int = 0
    dstNdStride: int = 0
    unitFlag: int = 0
    isChannelSplit: bool = False


FixpipeParams = FixpipeParamsV220
