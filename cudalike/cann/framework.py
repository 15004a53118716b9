"""The operator framework's names, gathered for `cudalike.cann`: tiling structs and their
transfer to the kernel, tiling keys, the user workspace and the high-level APIs' host tilings.

These are what an operator's entry and its host tiling use around the kernel proper (the
`GET_TILING_DATA` / `TILING_KEY_IS` preamble of an ops-nn kernel, a sample's tiling
function); the package re-exports them all.
"""

from cudalike.cann.high_level_tiling import (
    GetLayerNormMaxMinTmpSize,
    GetLayerNormNDTilingInfo,
    GetSoftMaxMaxTmpSize,
    GetSoftMaxMinTmpSize,
    GetSumMaxMinTmpSize,
    LayerNormTiling,
    SoftMaxShapeInfo,
    SoftMaxTiling,
    SoftMaxTilingFunc,
    SumParams,
)
from cudalike.cann.tiling_data import (
    GET_TILING_DATA,
    REGISTER_TILING_DATA_CLASS,
    REGISTER_TILING_DEFAULT,
    TilingData,
    reinterpret_cast,
    sizeof,
)
from cudalike.cann.tiling_key import ICPU_SET_TILING_KEY, TILING_KEY_IS, GetUserWorkspace

__all__ = [
    "GET_TILING_DATA",
    "GetLayerNormMaxMinTmpSize",
    "GetLayerNormNDTilingInfo",
    "GetSoftMaxMaxTmpSize",
    "GetSoftMaxMinTmpSize",
    "GetSumMaxMinTmpSize",
    "GetUserWorkspace",
    "ICPU_SET_TILING_KEY",
    "LayerNormTiling",
    "REGISTER_TILING_DATA_CLASS",
    "REGISTER_TILING_DEFAULT",
    "SoftMaxShapeInfo",
    "SoftMaxTiling",
    "SoftMaxTilingFunc",
    "SumParams",
    "TILING_KEY_IS",
    "TilingData",
    "reinterpret_cast",
    "sizeof",
]
