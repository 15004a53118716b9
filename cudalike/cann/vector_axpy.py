"""Axpy: dst = src x scalar + dst, the one vector instruction that reads its destination.

Forms: first-n `Axpy(dst, src, scalar, count)` and the repeat form `Axpy(dst, src, scalar,
mask, repeatTimes, UnaryRepeatParams)`. dst and src share a type (half or float), or src is
half and dst float (the product and sum then in float; a repeat covers 64 lanes, so the half
source advances by half as many blocks). Source: hiascend.com Ascend C API reference, Axpy
(atlasascendc_api_07_0068), and the vendor's axpy_half_float sample.
"""

from __future__ import annotations

import numpy as np

from cudalike.cann import _context, errors, vector, vector_repeat
from cudalike.cann.local import LocalTensor


def Axpy(dst: LocalTensor, src: LocalTensor, scalarValue, *args, isSetMask: bool = True) -> None:  # noqa: N802, N803 - Ascend C's names
    """dst[i] = src[i] x scalarValue + dst[i] over count elements or the repeat form's lanes."""
    mixed = src.dtype == np.float16 and dst.dtype == np.float32
    if not mixed and (src.dtype != dst.dtype or src.dtype not in (np.float16, np.float32)):
        raise _context.error(
            errors.InstructionError,
            f"Axpy from {src.dtype} into {dst.dtype}: it takes half or float, or half into float",
            pipe="V",
        )
    scalar = src.dtype.type(scalarValue)

    def body(source: np.ndarray, into: np.ndarray) -> np.ndarray:
        product = source.astype(dst.dtype) * dst.dtype.type(scalar)
        return (product + into).astype(dst.dtype)

    if len(args) == 3:
        mask, repeat_times, params = args
        strides = params.strides()
        plan = vector._run_repeat(
            "Axpy",
            dst,
            (src, dst),
            mask,
            repeat_times,
            [*strides, strides[0]],
            "binary",
            True,
            isSetMask,
        )
        vector_repeat.execute(plan, dst, (src, dst), body)
        return
    if len(args) != 1:
        raise TypeError(
            "Axpy takes (dst, src, scalar, count) or (dst, src, scalar, mask, repeatTimes, "
            "UnaryRepeatParams)"
        )
    out, source, into = vector._run("Axpy", dst, (src, dst), args[0], "binary", True)
    with np.errstate(over="ignore", invalid="ignore"):
        out[...] = body(source, into.copy())
