"""Host side of the high-level APIs: tiling structs and temporary-buffer sizes.

The formulas are the vendor's (asc-devkit impl/adv_api/tiling: reduce/sum_tiling.cpp,
activation/softmax_tiling.cpp, normalization/layernorm_tiling_impl.cpp, Atlas A2 branch;
https://github.com/cannmirror/asc-devkit). A shape (ge::Shape) is any sequence of ints or an
object with GetDims(). Where the vendor fills an out-parameter, the function returns the value
(and also fills a struct passed in its place, as in C++).
"""

from __future__ import annotations

import dataclasses

from cudalike.cann.dtypes import float as float32
from cudalike.cann.dtypes import uint32
from cudalike.cann.tiling_data import TilingData

BLOCK_BYTES = 32
REPEAT_BYTES = 256
SOFTMAX_BASICBLOCK_UNIT = 64
SOFTMAX_BASICBLOCK_MIN_SIZE = 256
BASIC_TILE_NUM = BLOCK_BYTES // 4


def _dims(shape) -> list[int]:
    dims = shape.GetDims() if hasattr(shape, "GetDims") else shape
    return [int(d) for d in dims]


def _check_type_size(api: str, type_size: int) -> None:
    if int(type_size) not in (2, 4):
        raise ValueError(f"{api}: typeSize is {type_size}, expected 2 (half) or 4 (float)")


# -- Sum --------------------------------------------------------------------------------


@dataclasses.dataclass
class SumParams:
    """Sum's shape: `outter` rows of `inner` elements (inner x sizeof(T) a multiple of 32
    bytes), of which the first `n` are summed."""

    outter: int = 1
    inner: int = 0
    n: int = 0


def GetSumMaxMinTmpSize(n: int, typeSize: int, isReuseSource: bool = False) -> tuple[int, int]:
    """(maxValue, minValue) bytes of Sum's sharedTmpBuffer: one element per 256-byte repeat
    of a row, rounded up to 32 bytes (max and min are equal)."""
    _check_type_size("GetSumMaxMinTmpSize", typeSize)
    if int(n) <= 0:
        raise ValueError(f"GetSumMaxMinTmpSize: n is {n}, expected greater than 0")
    per_block, per_repeat = BLOCK_BYTES // typeSize, REPEAT_BYTES // typeSize
    repeats = -(-int(n) // per_repeat)
    size = -(-repeats // per_block) * per_block * typeSize
    return size, size


# -- SoftMax ----------------------------------------------------------------------------


class SoftMaxTiling(TilingData):
    """The vendor's SoftMaxTiling (16 uint32): the row split SoftMax works in."""

    srcM: uint32
    srcK: uint32
    srcSize: uint32
    outMaxM: uint32
    outMaxK: uint32
    outMaxSize: uint32
    splitM: uint32
    splitK: uint32
    splitSize: uint32
    reduceM: uint32
    reduceK: uint32
    reduceSize: uint32
    rangeM: uint32
    tailM: uint32
    tailSplitSize: uint32
    tailReduceSize: uint32


@dataclasses.dataclass
class SoftMaxShapeInfo:
    """The shape SoftMax computes on: srcM rows of srcK (32-byte aligned) elements, of which
    oriSrcM x oriSrcK are data."""

    srcM: int = 0
    srcK: int = 0
    oriSrcM: int = 0
    oriSrcK: int = 0


def _rows_cols(api: str, shape, data_type_size: int) -> tuple[int, int]:
    _check_type_size(api, data_type_size)
    dims = _dims(shape)
    size = 1
    for d in dims:
        size *= d
    if size <= 0:
        raise ValueError(f"{api}: the shape {dims} is empty")
    cols = dims[-1]
    if cols * data_type_size % BLOCK_BYTES:
        raise ValueError(
            f"{api}: the last axis ({cols} elements) must be a multiple of 32 bytes; pad it"
        )
    return size // cols, cols


def GetSoftMaxMinTmpSize(srcShape, dataTypeSize: int, isReuseSource: bool = False) -> int:
    """Bytes of SoftMax's temporary buffer for one row at a time."""
    _, cols = _rows_cols("GetSoftMaxMinTmpSize", srcShape, dataTypeSize)
    return (BLOCK_BYTES // dataTypeSize + cols + SOFTMAX_BASICBLOCK_UNIT) * 4


def GetSoftMaxMaxTmpSize(srcShape, dataTypeSize: int, isReuseSource: bool = False) -> int:
    """Bytes of SoftMax's temporary buffer for all rows at once."""
    rows, cols = _rows_cols("GetSoftMaxMaxTmpSize", srcShape, dataTypeSize)
    return rows * (BLOCK_BYTES // dataTypeSize + cols + SOFTMAX_BASICBLOCK_UNIT) * 4


def SoftMaxTilingFunc(
    srcShape, dataTypeSize: int, localWorkSpaceSize: int, softmaxTiling: SoftMaxTiling = None
) -> SoftMaxTiling:
    """Split the rows so splitM of them fit the localWorkSpaceSize-byte temporary buffer."""
    srcM, srcK = _rows_cols("SoftMaxTilingFunc", srcShape, dataTypeSize)
    tiling = SoftMaxTiling() if softmaxTiling is None else softmaxTiling
    per_block = BLOCK_BYTES // dataTypeSize
    base_m = min(int(localWorkSpaceSize) // 4 // (per_block + srcK + SOFTMAX_BASICBLOCK_UNIT), srcM)
    if srcM > base_m > BASIC_TILE_NUM:
        base_m = base_m // BASIC_TILE_NUM * BASIC_TILE_NUM
    if base_m > BASIC_TILE_NUM and srcM % BASIC_TILE_NUM == 0 and srcK % 64 == 0:
        base_m = base_m // BASIC_TILE_NUM * BASIC_TILE_NUM
        while srcM % base_m:
            base_m -= BASIC_TILE_NUM
        while base_m * srcK >= SOFTMAX_BASICBLOCK_UNIT * SOFTMAX_BASICBLOCK_MIN_SIZE:
            base_m //= 2
    tail = srcM % base_m if base_m else 0
    values = {
        "srcM": srcM,
        "srcK": srcK,
        "srcSize": srcM * srcK,
        "outMaxM": srcM,
        "outMaxK": per_block,
        "outMaxSize": srcM * per_block,
        "splitM": base_m,
        "splitK": srcK,
        "splitSize": base_m * srcK,
        "reduceM": base_m,
        "reduceK": per_block,
        "reduceSize": base_m * per_block,
        "rangeM": srcM // base_m if base_m else 0,
        "tailM": tail,
        "tailSplitSize": tail * srcK,
        "tailReduceSize": tail * per_block,
    }
    for name, value in values.items():
        setattr(tiling, name, value)
    return tiling


# -- LayerNorm --------------------------------------------------------------------------


class LayerNormTiling(TilingData):
    """The vendor's LayerNormTiling (25 uint32 and a float): how LayerNorm splits [B, S, H]
    over its temporary buffer."""

    bLength: uint32
    sLength: uint32
    hLength: uint32
    originalHLength: uint32
    inputXSize: uint32
    meanVarSize: uint32
    numberOfTmpBuf: uint32
    meanTmpTensorPos: uint32
    meanTmpTensorSize: uint32
    varianceTmpTensorPos: uint32
    varianceTmpTensorSize: uint32
    tmpBufSize: uint32
    oneTmpSize: uint32
    firstTmpStartPos: uint32
    secondTmpStartPos: uint32
    thirdTmpStartPos: uint32
    loopRound: uint32
    inputRoundSize: uint32
    inputTailSize: uint32
    inputTailPos: uint32
    meanVarRoundSize: uint32
    meanVarTailSize: uint32
    meanVarTailPos: uint32
    bshCurLength: uint32
    bsCurLength: uint32
    lastDimValueBack: float32


def _bsh(api: str, shape, type_size: int) -> tuple[int, int, int, int]:
    _check_type_size(api, type_size)
    dims = _dims(shape)
    if len(dims) != 4 or min(dims) <= 0:
        raise ValueError(f"{api}: the shape is {dims}; expected [B, S, storageH, originH]")
    return dims[0], dims[1], dims[2], dims[3]


def _align32(nbytes: int) -> int:
    return -(-nbytes // BLOCK_BYTES) * BLOCK_BYTES


def GetLayerNormMaxMinTmpSize(srcShape, typeSize: int, isReuseSource: bool) -> tuple[int, int]:
    """(maxValue, minValue) bytes of LayerNorm's temporary buffer: three float copies of the
    input (two when a float source may be reused) plus the means and variances, or of one row
    for the minimum."""
    b, s, h, _ = _bsh("GetLayerNormMaxMinTmpSize", srcShape, typeSize)
    copies = 2 if isReuseSource and typeSize == 4 else 3
    mean_var = 2 * _align32(b * s * 4)
    return copies * _align32(b * s * h * 4) + mean_var, copies * _align32(h * 4) + mean_var


def GetLayerNormNDTilingInfo(
    srcShape,
    stackBufferSize: int,
    typeSize: int,
    isReuseSource: bool,
    tiling: LayerNormTiling = None,
) -> LayerNormTiling:
    """Split [B, S, H] into rounds of whole rows that fit stackBufferSize bytes."""
    b, s, h, original_h = _bsh("GetLayerNormNDTilingInfo", srcShape, typeSize)
    tiling = LayerNormTiling() if tiling is None else tiling
    input_size, mean_var_size = b * s * h, b * s
    buffers = 2 if isReuseSource and typeSize == 4 else 3
    mean_tmp = -(-mean_var_size // 8) * 8
    mean_var_total = 0 if typeSize == 4 else 2 * mean_tmp
    tmp_buf = int(stackBufferSize) // 4
    one_tmp = (tmp_buf - mean_var_total) // buffers // h * h
    one_tmp = min(one_tmp, input_size)
    if one_tmp <= 0:
        raise ValueError(
            f"GetLayerNormNDTilingInfo: {stackBufferSize} bytes do not hold one row of {h}"
        )
    tail = input_size % one_tmp
    values = {
        "bLength": b,
        "sLength": s,
        "hLength": h,
        "originalHLength": original_h,
        "inputXSize": input_size,
        "meanVarSize": mean_var_size,
        "numberOfTmpBuf": buffers,
        "meanTmpTensorPos": 0,
        "meanTmpTensorSize": mean_tmp,
        "varianceTmpTensorPos": mean_tmp,
        "varianceTmpTensorSize": mean_tmp,
        "tmpBufSize": tmp_buf,
        "oneTmpSize": one_tmp,
        "firstTmpStartPos": mean_var_total,
        "secondTmpStartPos": mean_var_total + one_tmp,
        "thirdTmpStartPos": mean_var_total + 2 * one_tmp,
        "loopRound": input_size // one_tmp,
        "inputRoundSize": one_tmp,
        "inputTailSize": tail,
        "inputTailPos": input_size - tail,
        "meanVarRoundSize": one_tmp // h,
        "meanVarTailSize": tail // h,
        "meanVarTailPos": mean_var_size - tail // h,
        "bshCurLength": one_tmp,
        "bsCurLength": one_tmp // h,
        "lastDimValueBack": 1.0 / original_h,
    }
    for name, value in values.items():
        setattr(tiling, name, value)
    return tiling
