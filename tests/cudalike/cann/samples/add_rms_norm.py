"""The production AddRmsNorm operator's kernel: x = x1 + x2, then RmsNorm of x (half, float).

Source: hicann/ops-nn, norm/add_rms_norm/op_kernel/add_rms_norm.h (as mirrored in
jbgztxdy/ops-nn), with ReduceSumFP32 / DataCopyCustom from norm/rms_norm/op_kernel/
rms_norm_base.h
(https://github.com/jbgztxdy/ops-nn/blob/master/norm/add_rms_norm/op_kernel/add_rms_norm.h)

Each row: x1 and x2 are copied in (x2 into the upper half of the sqx buffer), added, written
out as x, widened to fp32; mean(x^2) is summed by ReduceSumFP32 - an Add in repeat form with
dstRepStride = src1RepStride = 0 that accumulates every 64-float repeat into one work repeat
(the hardware issues repeats in order), then one WholeReduceSum with the mask register set to
64 lanes; rstd = 1 / sqrt(sum + eps) is computed with Adds / Sqrt / Div on one element, read on
the scalar unit, and y = x * rstd * gamma. In the float path the freed x1 buffer is allocated
again and read: its contents (x1 + x2) survive FreeTensor / AllocTensor, as on the hardware.

Changed:
- The path for __CCE_AICORE__ == 220 is ported (with its `if (g_coreType == AIV)` guard);
  the bfloat16 overload of Compute is not ported.
- The kernel entry's GET_TILING_DATA / TILING_KEY_IS dispatch on the operator's dtype is
  replaced by one launch per dtype with the tiling struct as the argument.
- The host tiling (AddRMSNormTilingData) is built by the test: block_factor rows per core,
  row_factor rows per rstd batch, ub_factor = num_col rounded up to 16 (x2 starts
  ub_factor halves into the sqx buffer, which must be 32-byte aligned).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from cudalike import cann

from ._common import Result, rng, sizeof

BUFFER_NUM = 1
NUM_PER_REP_FP32 = 64
ONE_REPEAT_BYTE_SIZE = 256
ONE_BLK_SIZE = 32
ZERO = 0.0
ONE = 1.0


@dataclasses.dataclass
class AddRMSNormTilingData:
    num_row: int
    num_col: int
    block_factor: int
    row_factor: int
    ub_factor: int
    epsilon: float


def CeilDiv(x, y):
    return x if y == 0 else (x + y - 1) // y


def DataCopyCustom(T, dstTensor, srcTensor, count):
    """rms_norm_base.h's DataCopyCustom on Atlas A2: one DataCopyPad row of `count` elements."""
    copyParams = cann.DataCopyParams()
    copyParams.blockLen = count * sizeof(T)
    copyParams.blockCount = 1
    if isinstance(dstTensor, cann.LocalTensor):
        padParams = cann.DataCopyPadParams()
        cann.DataCopyPad(dstTensor, srcTensor, copyParams, padParams)
    else:
        cann.DataCopyPad(dstTensor, srcTensor, copyParams)


def ReduceSumFP32(dst_local, src_local, work_local, count):
    """rms_norm_base.h: accumulate the repeats into one (zero dst/src1 strides), then reduce."""
    mask = NUM_PER_REP_FP32
    repeatTimes = count // NUM_PER_REP_FP32
    tailCount = count % NUM_PER_REP_FP32
    bodyCount = repeatTimes * NUM_PER_REP_FP32
    repeatParams = cann.BinaryRepeatParams()
    repeatParams.src0RepStride = ONE_REPEAT_BYTE_SIZE // ONE_BLK_SIZE
    repeatParams.src0BlkStride = 1
    repeatParams.src1RepStride = 0
    repeatParams.src1BlkStride = 1
    repeatParams.dstRepStride = 0
    repeatParams.dstBlkStride = 1
    cann.Duplicate(work_local, cann.float(ZERO), NUM_PER_REP_FP32)
    cann.PipeBarrier(cann.PIPE_V)
    if repeatTimes > 0:
        cann.Add(work_local, src_local, work_local, mask, repeatTimes, repeatParams)
        cann.PipeBarrier(cann.PIPE_V)
    if tailCount != 0:
        cann.Add(work_local, src_local[bodyCount], work_local, tailCount, 1, repeatParams)
        cann.PipeBarrier(cann.PIPE_V)
    cann.AscendCUtils.SetMask[cann.float](NUM_PER_REP_FP32)
    if cann.g_coreType == cann.AIV:
        cann.WholeReduceSum(
            dst_local, work_local, cann.MASK_PLACEHOLDER, 1, 0, 1, 0, isSetMask=False
        )
    cann.PipeBarrier(cann.PIPE_V)


class KernelAddRmsNorm:
    """KernelAddRmsNorm<T> for T = half or float."""

    def __init__(self, T, pipe):
        self.T = T
        self.Ppipe = pipe

    def Init(self, x1, x2, gamma, y, rstd, x, tiling: AddRMSNormTilingData):
        T = self.T
        self.numCol = tiling.num_col
        self.numRow = tiling.num_row
        self.blockFactor = tiling.block_factor
        self.rowFactor = tiling.row_factor
        self.epsilon = cann.float(tiling.epsilon)
        self.ubFactor = tiling.ub_factor
        self.avgFactor = cann.float(1.0 / self.numCol) if self.numCol != 0 else cann.float(0)
        self.blockIdx_ = cann.GetBlockIdx()
        if self.blockIdx_ < cann.GetBlockNum() - 1:
            self.rowWork = self.blockFactor
        elif self.blockIdx_ == cann.GetBlockNum() - 1:
            self.rowWork = self.numRow - (cann.GetBlockNum() - 1) * self.blockFactor
        # get start index for current core, core parallel
        start = self.blockIdx_ * self.blockFactor * self.numCol
        rows = self.rowWork * self.numCol
        self.x1Gm, self.x2Gm, self.gammaGm, self.yGm, self.xGm = (
            cann.GlobalTensor(T) for _ in range(5)
        )
        self.rstdGm = cann.GlobalTensor(cann.float)
        self.x1Gm.SetGlobalBuffer(x1.cast(T) + start, rows)
        self.x2Gm.SetGlobalBuffer(x2.cast(T) + start, rows)
        self.gammaGm.SetGlobalBuffer(gamma.cast(T), self.numCol)
        self.yGm.SetGlobalBuffer(y.cast(T) + start, rows)
        self.rstdGm.SetGlobalBuffer(
            rstd.cast(cann.float) + self.blockIdx_ * self.blockFactor, self.blockFactor
        )
        self.xGm.SetGlobalBuffer(x.cast(T) + start, rows)
        # pipe alloc memory to queue, the unit is Bytes
        self.inQueueX = cann.TQue(cann.QuePosition.VECIN, BUFFER_NUM)
        self.inQueueGamma = cann.TQue(cann.QuePosition.VECIN, BUFFER_NUM)
        self.outQueueY = cann.TQue(cann.QuePosition.VECOUT, BUFFER_NUM)
        self.outQueueRstd = cann.TQue(cann.QuePosition.VECOUT, BUFFER_NUM)
        self.xFp32Buf = cann.TBuf(cann.TPosition.VECCALC)
        self.sqxBuf = cann.TBuf(cann.TPosition.VECCALC)
        self.reduceFp32Buf = cann.TBuf(cann.TPosition.VECCALC)
        self.Ppipe.InitBuffer(self.inQueueX, BUFFER_NUM, self.ubFactor * sizeof(T))
        self.Ppipe.InitBuffer(self.inQueueGamma, BUFFER_NUM, self.ubFactor * sizeof(T))
        self.Ppipe.InitBuffer(self.outQueueY, BUFFER_NUM, self.ubFactor * sizeof(T))
        self.Ppipe.InitBuffer(self.outQueueRstd, BUFFER_NUM, self.rowFactor * sizeof(cann.float))
        if T is cann.half:
            self.Ppipe.InitBuffer(self.xFp32Buf, self.ubFactor * sizeof(cann.float))
        self.Ppipe.InitBuffer(self.sqxBuf, self.ubFactor * sizeof(cann.float))
        self.Ppipe.InitBuffer(self.reduceFp32Buf, NUM_PER_REP_FP32 * sizeof(cann.float))

    def Process(self):
        self.CopyInGamma()
        gammaLocal = self.inQueueGamma.DeQue(self.T)
        i_o_max = CeilDiv(self.rowWork, self.rowFactor)
        row_tail = self.rowWork - (i_o_max - 1) * self.rowFactor
        for i_o in range(i_o_max - 1):
            self.SubProcess(i_o, self.rowFactor, gammaLocal)
        self.SubProcess(i_o_max - 1, row_tail, gammaLocal)
        self.inQueueGamma.FreeTensor(gammaLocal)

    def SubProcess(self, i_o, calc_row_num, gammaLocal):
        rstdLocal = self.outQueueRstd.AllocTensor(cann.float)
        for i_i in range(calc_row_num):
            gm_bias = (i_o * self.rowFactor + i_i) * self.numCol
            self.CopyIn(gm_bias)
            self.Compute(i_i, gammaLocal, rstdLocal)
            self.CopyOutY(gm_bias)
        self.outQueueRstd.EnQue(rstdLocal)
        self.CopyOutRstd(i_o, calc_row_num)

    def CopyIn(self, gm_bias):
        T, numCol = self.T, self.numCol
        x1Local_in = self.inQueueX.AllocTensor(T)
        x2Local = self.sqxBuf.Get(T)
        xLocal = self.outQueueY.AllocTensor(T)
        if T is cann.half:
            x2Local = x2Local[self.ubFactor]
        DataCopyCustom(T, x1Local_in, self.x1Gm[gm_bias], numCol)
        DataCopyCustom(T, x2Local, self.x2Gm[gm_bias], numCol)
        self.inQueueX.EnQue(x1Local_in)
        x1Local = self.inQueueX.DeQue(T)
        if T is cann.half:
            x1_fp32 = self.xFp32Buf.Get(cann.float)
            cann.Add(xLocal, x1Local, x2Local, numCol)
            cann.PipeBarrier(cann.PIPE_V)
            cann.Cast(x1_fp32, xLocal, cann.RoundMode.CAST_NONE, numCol)
            cann.PipeBarrier(cann.PIPE_V)
        else:
            cann.Add(x1Local, x1Local, x2Local, numCol)
            cann.PipeBarrier(cann.PIPE_V)
            cann.Adds(xLocal, x1Local, cann.float(0), numCol)
        self.inQueueX.FreeTensor(x1Local)
        # CopyOut x1 + x2
        self.outQueueY.EnQue(xLocal)
        x_out = self.outQueueY.DeQue(T)
        DataCopyCustom(T, self.xGm[gm_bias], x_out, numCol)
        self.outQueueY.FreeTensor(x_out)

    def CopyInGamma(self):
        gammaLocal = self.inQueueGamma.AllocTensor(self.T)
        DataCopyCustom(self.T, gammaLocal, self.gammaGm, self.numCol)
        self.inQueueGamma.EnQue(gammaLocal)

    def RstdOf(self, sqx, reduce_buf_local, rstdLocal, inner_progress):
        """The lines both overloads share: sum, + eps, sqrt, 1 / x, read on S, store."""
        numCol = self.numCol
        cann.Muls(sqx, sqx, self.avgFactor, numCol)
        cann.PipeBarrier(cann.PIPE_V)
        ReduceSumFP32(sqx, sqx, reduce_buf_local, numCol)  # ReduceSumCustom
        cann.PipeBarrier(cann.PIPE_V)
        cann.Adds(sqx, sqx, self.epsilon, 1)
        cann.PipeBarrier(cann.PIPE_V)
        cann.Sqrt(sqx, sqx, 1)
        cann.Duplicate(reduce_buf_local, cann.float(ONE), 1)
        cann.PipeBarrier(cann.PIPE_V)
        cann.Div(sqx, reduce_buf_local, sqx, 1)
        cann.PipeBarrier(cann.PIPE_V)
        event_v_s = cann.GetTPipePtr().FetchEventID(cann.HardEvent.V_S)
        cann.SetFlag(cann.HardEvent.V_S, event_v_s)
        cann.WaitFlag(cann.HardEvent.V_S, event_v_s)
        rstdValue = sqx.GetValue(0)
        event_s_v = cann.GetTPipePtr().FetchEventID(cann.HardEvent.S_V)
        cann.SetFlag(cann.HardEvent.S_V, event_s_v)
        cann.WaitFlag(cann.HardEvent.S_V, event_s_v)
        rstdLocal.SetValue(inner_progress, rstdValue)
        cann.PipeBarrier(cann.PIPE_V)
        return rstdValue

    def Compute(self, inner_progress, gammaLocal, rstdLocal):
        numCol = self.numCol
        sqx = self.sqxBuf.Get(cann.float)
        reduce_buf_local = self.reduceFp32Buf.Get(cann.float)
        if self.T is cann.float:  # Compute(..., LocalTensor<float> gammaLocal, ...)
            xLocal = self.inQueueX.AllocTensor(cann.float)
            cann.Mul(sqx, xLocal, xLocal, numCol)
            cann.PipeBarrier(cann.PIPE_V)
            rstdValue = self.RstdOf(sqx, reduce_buf_local, rstdLocal, inner_progress)
            yLocal = self.outQueueY.AllocTensor(cann.float)
            cann.Muls(yLocal, xLocal, rstdValue, numCol)
            self.inQueueX.FreeTensor(xLocal)
            cann.PipeBarrier(cann.PIPE_V)
            cann.Mul(yLocal, gammaLocal, yLocal, numCol)
            cann.PipeBarrier(cann.PIPE_V)
            self.outQueueY.EnQue(yLocal)
            return
        # Compute(..., LocalTensor<half> gammaLocal, ...)
        x_fp32 = self.xFp32Buf.Get(cann.float)
        cann.Mul(sqx, x_fp32, x_fp32, numCol)
        cann.PipeBarrier(cann.PIPE_V)
        rstdValue = self.RstdOf(sqx, reduce_buf_local, rstdLocal, inner_progress)
        cann.Muls(x_fp32, x_fp32, rstdValue, numCol)
        cann.PipeBarrier(cann.PIPE_V)
        yLocal = self.outQueueY.AllocTensor(cann.half)
        cann.Cast(yLocal, x_fp32, cann.RoundMode.CAST_NONE, numCol)
        event_v_mte = cann.GetTPipePtr().FetchEventID(cann.HardEvent.V_MTE2)
        cann.SetFlag(cann.HardEvent.V_MTE2, event_v_mte)
        cann.WaitFlag(cann.HardEvent.V_MTE2, event_v_mte)
        cann.PipeBarrier(cann.PIPE_V)
        cann.Mul(yLocal, gammaLocal, yLocal, numCol)
        cann.PipeBarrier(cann.PIPE_V)
        self.outQueueY.EnQue(yLocal)

    def CopyOutY(self, progress):
        yLocal = self.outQueueY.DeQue(self.T)
        DataCopyCustom(self.T, self.yGm[progress], yLocal, self.numCol)
        self.outQueueY.FreeTensor(yLocal)

    def CopyOutRstd(self, outer_progress, num):
        rstdLocal = self.outQueueRstd.DeQue(cann.float)
        DataCopyCustom(cann.float, self.rstdGm[outer_progress * self.rowFactor], rstdLocal, num)
        self.outQueueRstd.FreeTensor(rstdLocal)


def add_rms_norm_kernel(T):
    @cann.kernel
    def add_rms_norm(x1, x2, gamma, y, rstd, x, workspace, tiling):
        pipe = cann.TPipe()
        op = KernelAddRmsNorm(T, pipe)
        op.Init(x1, x2, gamma, y, rstd, x, tiling)
        op.Process()

    return add_rms_norm


# (dtype, rows, cols, cores, row_factor)
CASES = {
    "half_16x1024_8_cores": (np.float16, 16, 1024, 8, 64),
    "half_24x100_ragged_row": (np.float16, 24, 100, 4, 4),
    "float_12x200_3_cores": (np.float32, 12, 200, 3, 64),
}
LITERAL = False
MISSING: str | None = None
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "half_16x1024_8_cores"


def run(case: str) -> Result:
    T, rows, cols, cores, row_factor = CASES[case]
    gen = rng(case)
    x1 = gen.standard_normal((rows, cols)).astype(T)
    x2 = gen.standard_normal((rows, cols)).astype(T)
    gamma = gen.uniform(0.5, 1.5, cols).astype(T)
    y, x = np.empty_like(x1), np.empty_like(x1)
    rstd = np.empty(rows, np.float32)
    eps = 1e-6
    ub_factor = -(-cols // 16) * 16  # x2 sits ub_factor halves into sqx: 32-byte aligned
    tiling = AddRMSNormTilingData(rows, cols, CeilDiv(rows, cores), row_factor, ub_factor, eps)
    add_rms_norm_kernel(T)[cores](x1, x2, gamma, y, rstd, x, None, tiling)
    xs = (x1 + x2).astype(np.float64)  # the sum rounds to T first, as the kernel's Add does
    want_rstd = 1 / np.sqrt((xs**2).mean(axis=1) + eps)
    want_y = xs * want_rstd[:, None] * gamma.astype(np.float64)
    got = np.concatenate([y.astype(np.float64).ravel(), rstd, x.astype(np.float64).ravel()])
    want = np.concatenate([want_y.ravel(), want_rstd, xs.ravel()])
    tol = 4e-3 if T is np.float16 else 1e-5
    return Result(got, want, rtol=tol, atol=tol)
