"""The element types of Ascend C, as numpy types: arithmetic happens in the type itself.

`half` is IEEE binary16 (numpy float16): every vector instruction on halves rounds its result
to half, as the hardware does. bfloat16 is not available yet.
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

FLOATS = (np.dtype(np.float16), np.dtype(np.float32))


def dtype_of(dtype) -> np.dtype:
    """The numpy dtype of an Ascend C type name or numpy type ("half", cann.half, np.float16).

    Raises:
        NotImplementedError: bfloat16, which needs a numpy extension cudalike does not use yet.
    """
    if isinstance(dtype, str) and dtype.lower() in ("bfloat16", "bf16"):
        raise NotImplementedError("bfloat16 is not supported yet; use half or float")
    if isinstance(dtype, str) and dtype.lower() == "half":
        return np.dtype(np.float16)
    if isinstance(dtype, str) and dtype.lower() == "float":
        return np.dtype(np.float32)
    return np.dtype(dtype)
