"""High-level APIs from the vendor's operator library: Sum, SoftMax and LayerNorm.

Semantics and constraints are the vendor's (hiascend.com Ascend C API reference, "Sum",
"SoftMax", "LayerNorm"; implementation in asc-devkit impl/adv_api, https://github.com/
cannmirror/asc-devkit). Each call is checked like a vector instruction (UB operands on 32
bytes, lengths that fit, a temporary buffer as large as the host tiling assumed) and issued
to the V pipe as one instruction whose cost is the vector instructions the library runs:
per chunk of rows the tiling gives, the reductions, element-wise passes and broadcasts.
Template arguments go in brackets, `SoftMax[float, True, True](...)`; they select speed paths
on the hardware and change no result here.

SoftMax and LayerNorm compute in float (half inputs are widened and the results rounded
back), as the library does; Sum adds each row pairwise in the operands' type.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from cudalike.cann import _context, errors
from cudalike.cann.dtypes import FLOATS
from cudalike.cann.high_level_tiling import (
    BLOCK_BYTES,
    GetSumMaxMinTmpSize,
    LayerNormTiling,
    SoftMaxTiling,
    SumParams,
)
from cudalike.cann.local import LocalTensor, access
from cudalike.cann.reduce_all import _tree
from cudalike.cann.vector import _quiet, check_operands, repeat_cycles

F32 = np.float32


class _Template:
    """An API callable as `Api(...)` or with template arguments `Api[T, flag, ...](...)`."""

    def __init__(self, function):
        self.function = function
        functools.update_wrapper(self, function)

    def __getitem__(self, template):
        return self.function

    def __call__(self, *args, **kwargs):
        return self.function(*args, **kwargs)


def _fail(api: str, detail: str, hint: str = "") -> errors.CannKernelError:
    return _context.error(errors.InstructionError, f"{api}: {detail}", hint, pipe="V")


def _need(api: str, tensor: LocalTensor, role: str, count: int) -> None:
    if tensor.length < count:
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"{api}: {role} holds {tensor.length} elements, the call needs {count}",
            "size the buffer from the shape the tiling describes",
            pipe="V",
        )


def _tmp_bytes(api: str, tmp: LocalTensor | None, need: int) -> None:
    if tmp is None:
        return
    check_operands(api, tmp, (), False)
    if tmp.dtype != np.uint8:
        raise _fail(api, f"sharedTmpBuffer is a LocalTensor<{tmp.dtype}>, expected uint8_t")
    if tmp.length < need:
        raise _context.error(
            errors.GlobalOutOfBoundsError,
            f"{api}: sharedTmpBuffer has {tmp.length} bytes, the call needs {need}",
            "size it with the host's Get...MaxMinTmpSize and give the tiling the same size",
            pipe="V",
        )


def _cycles(core, passes: list[tuple[str, int]], itemsize: int) -> float:
    """Cycles of vector instructions given as (cost class, elements)."""
    per_repeat = core.profile.vector_repeat_bytes // itemsize
    return sum(
        repeat_cycles(core, cost, max(1, math.ceil(count / per_repeat)), itemsize)
        for cost, count in passes
    )


def _sum(dst: LocalTensor, src: LocalTensor, *args) -> None:
    """dst[i] = sum of src[i * inner : i * inner + n] for each of the `outter` rows.

    Forms: Sum(dst, src, sharedTmpBuffer, sumParams) and Sum(dst, src, sumParams).
    """
    core = _context.current("Sum")
    tmp, params = (None, *args)[-2:] if len(args) in (1, 2) else (None, None)
    if not isinstance(params, SumParams):
        raise TypeError("Sum takes (dst, src, sharedTmpBuffer, sumParams) or (dst, src, sumParams)")
    check_operands("Sum", dst, (src,), True)
    if dst.dtype != src.dtype:
        raise _fail("Sum", f"dst is {dst.dtype} and src {src.dtype}; they must match")
    outter, inner, n = int(params.outter), int(params.inner), int(params.n)
    if inner * src.dtype.itemsize % BLOCK_BYTES or not 1 <= n <= inner or outter < 1:
        raise _fail(
            "Sum",
            f"SumParams(outter={outter}, inner={inner}, n={n}) is not a valid shape",
            "inner x sizeof(T) must be a multiple of 32 bytes, 1 <= n <= inner, outter >= 1",
        )
    _need("Sum", src, "src", outter * inner)
    _need("Sum", dst, "dst", outter)
    _tmp_bytes("Sum", tmp, GetSumMaxMinTmpSize(n, src.dtype.itemsize)[1])
    passes, count = [], n
    while count > 1:
        passes.append(("reduce", outter * count))
        count = math.ceil(count / (core.profile.vector_repeat_bytes // src.dtype.itemsize))
    itemsize = src.dtype.itemsize
    writes = (dst,) if tmp is None else (dst, tmp)
    access(
        core, "V", _cycles(core, passes or [("reduce", outter)], itemsize), "Sum", (src,), writes
    )
    rows = src.array[: outter * inner].reshape(outter, inner)[:, :n]
    with _quiet():
        dst.array[:outter] = [_tree(row, np.add) for row in rows]


def _softmax(dst, sumTensor, maxTensor, src, *args, **kwargs) -> None:
    """Row softmax: dst = exp(src - rowmax) / rowsum over each row's oriSrcK elements; the row
    max and sum are written to maxTensor and sumTensor, each repeated over one 32-byte block
    per row.

    Forms: SoftMax(dst, sumTensor, maxTensor, src, sharedTmpBuffer, tiling[, shapeInfo]) and
    SoftMax(dst, sumTensor, maxTensor, src, tiling[, shapeInfo]).
    """
    core = _context.current("SoftMax")
    tmp = args[0] if args and isinstance(args[0], LocalTensor) else None
    rest = args[1:] if tmp is not None else args
    tiling, shape = ([*rest, kwargs.get("softmaxShapeInfo"), None])[:2]
    if not isinstance(tiling, SoftMaxTiling):
        raise TypeError("SoftMax takes (dst, sum, max, src[, sharedTmpBuffer], tiling[, shape])")
    shape = shape if shape is not None and shape.srcM else None
    rows = shape.srcM if shape else tiling.srcM
    cols = shape.srcK if shape else tiling.srcK
    ori_cols = (shape.oriSrcK or cols) if shape else cols
    check_operands("SoftMax", dst, (src, sumTensor, maxTensor), True)
    if cols * src.dtype.itemsize % BLOCK_BYTES or not 0 < ori_cols <= cols:
        raise _fail("SoftMax", f"rows of {cols} elements ({ori_cols} data) are not 32-byte aligned")
    per_block = BLOCK_BYTES // sumTensor.dtype.itemsize
    for tensor, role, count in (
        (src, "src", rows * cols),
        (dst, "dst", rows * cols),
        (sumTensor, "sumTensor", rows * per_block),
        (maxTensor, "maxTensor", rows * per_block),
    ):
        _need("SoftMax", tensor, role, count)
    split = max(1, min(tiling.splitM or rows, rows))
    _tmp_bytes("SoftMax", tmp, split * (BLOCK_BYTES // src.dtype.itemsize + cols + 64) * 4)
    passes = []
    for first in range(0, rows, split):
        elements = min(split, rows - first) * cols
        blocks = min(split, rows - first) * per_block
        passes += [("reduce", elements), ("unary", blocks), ("binary", elements)]
        passes += [("transcendental", elements), ("reduce", elements), ("unary", blocks)]
        passes += [("divide", elements)]
    writes = (dst, sumTensor, maxTensor) + (() if tmp is None else (tmp,))
    access(core, "V", _cycles(core, passes, 4), "SoftMax", (src,), writes)
    x = src.array[: rows * cols].reshape(rows, cols)[:, :ori_cols].astype(F32)
    with _quiet():
        row_max = x.max(axis=1, keepdims=True)
        e = np.exp(x - row_max)
        row_sum = e.sum(axis=1, keepdims=True, dtype=F32)
        y = e / row_sum
    dst.array[: rows * cols].reshape(rows, cols)[:, :ori_cols] = y.astype(dst.dtype)
    maxTensor.array[: rows * per_block] = np.repeat(row_max.ravel(), per_block)
    sumTensor.array[: rows * per_block] = np.repeat(row_sum.ravel(), per_block)


def _layernorm(output, outputMean, outputVariance, inputX, gamma, beta, *args) -> None:
    """LayerNorm over the last axis of [B, S, H]: mean and variance of each row's
    originalHLength elements, output = (x - mean) / sqrt(variance + epsilon) * gamma + beta.

    Forms: LayerNorm(output, mean, variance, inputX, gamma, beta, sharedTmpBuffer, epsilon,
    tiling) and LayerNorm(output, mean, variance, inputX, gamma, beta, epsilon, tiling).
    """
    core = _context.current("LayerNorm")
    if len(args) == 3:
        tmp, epsilon, tiling = args
    elif len(args) == 2:
        tmp, (epsilon, tiling) = None, args
    else:
        raise TypeError(
            "LayerNorm takes (output, mean, variance, inputX, gamma, beta[, sharedTmpBuffer], "
            "epsilon, tiling)"
        )
    if not isinstance(tiling, LayerNormTiling):
        raise TypeError(f"LayerNorm's tiling is a LayerNormTiling, got {type(tiling).__name__}")
    check_operands("LayerNorm", output, (inputX, gamma, beta, outputMean, outputVariance), True)
    if inputX.dtype not in FLOATS or output.dtype != inputX.dtype:
        raise _fail("LayerNorm", f"output {output.dtype} and inputX {inputX.dtype} must match")
    rows, h = tiling.bLength * tiling.sLength, tiling.hLength
    ori_h = tiling.originalHLength or h
    if not rows or not h or ori_h > h:
        raise _fail("LayerNorm", f"the tiling describes [{rows} rows, {h}] (origin {ori_h})")
    for tensor, role, count in (
        (inputX, "inputX", rows * h),
        (output, "output", rows * h),
        (gamma, "gamma", h),
        (beta, "beta", h),
        (outputMean, "outputMean", rows),
        (outputVariance, "outputVariance", rows),
    ):
        _need("LayerNorm", tensor, role, count)
    _tmp_bytes("LayerNorm", tmp, tiling.tmpBufSize * 4)
    passes = []
    step = max(tiling.oneTmpSize, h)
    for first in range(0, rows * h, step):
        elements = min(step, rows * h - first)
        passes += [("reduce", elements), ("binary", elements), ("binary", elements)]
        passes += [("reduce", elements), ("transcendental", elements // h or 1)]
        passes += [("binary", elements)] * 3 + [("unary", elements)] * 2
    writes = (output, outputMean, outputVariance) + (() if tmp is None else (tmp,))
    access(core, "V", _cycles(core, passes, 4), "LayerNorm", (inputX, gamma, beta), writes)
    x = inputX.array[: rows * h].reshape(rows, h)[:, :ori_h].astype(F32)
    back = F32(tiling.lastDimValueBack or 1.0 / ori_h)
    with _quiet():
        mean = x.sum(axis=1, dtype=F32) * back
        centred = x - mean[:, None]
        variance = (centred * centred).sum(axis=1, dtype=F32) * back
        scale = gamma.array[:ori_h].astype(F32)
        shift = beta.array[:ori_h].astype(F32)
        y = centred / np.sqrt(variance[:, None] + F32(epsilon)) * scale + shift
    output.array[: rows * h].reshape(rows, h)[:, :ori_h] = y.astype(output.dtype)
    outputMean.array[:rows] = mean.astype(outputMean.dtype)
    outputVariance.array[:rows] = variance.astype(outputVariance.dtype)


Sum = _Template(_sum)
SoftMax = _Template(_softmax)
LayerNorm = _Template(_layernorm)
