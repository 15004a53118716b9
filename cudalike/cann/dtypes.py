"""The element types of Ascend C, as numpy types: arithmetic happens in the type itself.

`half` is IEEE binary16 (numpy float16): every vector instruction on halves rounds its result
to half, as the hardware does. numpy has no bfloat16, so `bfloat16` is a uint16 dtype tagged
as bfloat16: tensors of it hold the raw bits (what GM and UB hold on the hardware), Cast
converts to and from it with the rounding modes, Duplicate fills it, copies move it; the
arithmetic instructions refuse it, as this generation's do (they take half, float, int16 and
int32: kernel_operator_vec_binary_impl.h). `to_bfloat16` / `from_bfloat16` convert host
arrays.
"""

from __future__ import annotations

import numpy as np

half = np.float16
float16 = np.float16
float32 = np.float32
float = np.float32  # Ascend C spells it `float`; use cann.float32 if the shadowing bothers you
int8 = np.int8
uint8 = np.uint8
int16 = np.int16
uint16 = np.uint16
int32 = np.int32
uint32 = np.uint32
int64 = np.int64
uint64 = np.uint64

bfloat16 = np.dtype(np.uint16, metadata={"cann": "bfloat16"})
bfloat16_t = bfloat16

FLOATS = (np.dtype(np.float16), np.dtype(np.float32))


def is_bfloat16(dtype) -> bool:
    """True for the bfloat16 tag (a plain uint16 is not bfloat16)."""
    return (np.dtype(dtype).metadata or {}).get("cann") == "bfloat16"


def type_name(dtype) -> str:
    """The element type's name for messages: "bfloat16" rather than its uint16 storage."""
    return "bfloat16" if is_bfloat16(dtype) else str(np.dtype(dtype))


def to_bfloat16(values, mode: str = "rint") -> np.ndarray:
    """The bfloat16 bits of `values` (rounded through float32), as a uint16 array tagged
    bfloat16. `mode`: "rint" (nearest, ties to even), "round" (ties away from zero),
    "floor", "ceil" or "trunc"."""
    single = np.asarray(values, dtype=np.float32)
    bits = single.view(np.uint32).astype(np.uint64)
    low = bits & 0xFFFF
    negative = (bits >> 31).astype(bool)
    high = bits >> 16
    if mode == "rint":
        high = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    elif mode == "round":
        high = (bits + 0x8000) >> 16
    elif mode in ("floor", "ceil"):
        away = (low != 0) & (negative if mode == "floor" else ~negative)
        high = high + away
    elif mode != "trunc":
        raise ValueError(f"unknown bfloat16 rounding {mode!r}")
    nan = np.isnan(single)
    high = np.where(nan, (bits >> 16) | 0x40, high)
    return high.astype(np.uint16).view(bfloat16)


def from_bfloat16(bits) -> np.ndarray:
    """float32 values of bfloat16 `bits` (exact: bfloat16 is float32's top half)."""
    words = np.asarray(bits).view(np.uint16).astype(np.uint32) << 16
    return words.view(np.float32)


_NAMES = {
    "bfloat16": bfloat16,
    "bf16": bfloat16,
    "bfloat16_t": bfloat16,
    "half": np.dtype(np.float16),
    "float": np.dtype(np.float32),
}


def dtype_of(dtype) -> np.dtype:
    """The numpy dtype of an Ascend C type name or numpy type ("half", cann.half, np.float16,
    "bfloat16"). Called for every tensor and copy, so a dtype passes straight through."""
    if isinstance(dtype, np.dtype):
        return dtype
    if isinstance(dtype, str) and dtype.lower() in _NAMES:
        return _NAMES[dtype.lower()]
    return np.dtype(dtype)
