"""The production RmsNorm operator's row kernel (KernelRmsNorm, Atlas A2 path), half in and out.

Source: hicann/ops-nn, norm/rms_norm/op_kernel/rms_norm.h, with the helpers it includes from
norm/rms_norm/op_kernel/rms_norm_base.h (DataCopyCustom) and reduce_common.h
(ReduceSumHalfInterval)
(https://github.com/hicann/ops-nn/blob/master/norm/rms_norm/op_kernel/rms_norm.h)

y = x * rstd * gamma with rstd = 1 / sqrt(mean(x^2) + eps) per row, computed in fp32: rows are
split over cores (block_factor rows each), each row is cast to fp32, squared, summed by
halving Adds and one WholeReduceSum (ReduceSumHalfInterval), rstd is read on the scalar unit
and written to rstdLocal with SetValue, then y is scaled, multiplied by gamma and cast back.

Changed:
- The path for __CCE_AICORE__ == 220 (Atlas A2) is the one ported, with its
  `if (g_coreType == AIV)` guard; the guarded `vcadd` intrinsic is written as the
  WholeReduceSum it is (one repeat, mask from SetMask).
- The kernel entry's GET_TILING_DATA / TILING_KEY_IS dispatch is replaced by the normal
  path's kernel with the tiling struct as the argument.
- The host tiling (RMSNormTilingData) is built by the test, not by the operator's tiling
  function: block_factor rows per core, row_factor rows per rstd batch, ub_factor = num_col.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from cudalike import cann

from ._common import Result, rng, sizeof

BUFFER_NUM = 1
NUM_PER_REP_FP32 = 64
NUM_PER_BLK_FP32 = 8
ELEM_PER_REP_FP32 = 64
HALf_INTERVAL = 2  # (sic)


@dataclasses.dataclass
class RMSNormTilingData:
    num_row: int
    num_col: int
    block_factor: int
    row_factor: int
    ub_factor: int
    epsilon: float
    is_gemma: int = 0


def CeilDiv(x, y):
    return x if y == 0 else (x + y - 1) // y


def findPowerTwo(n):
    """The largest power of 2 not above n (32 bit)."""
    n |= n >> 1
    n |= n >> 2
    n |= n >> 4
    n |= n >> 8
    n |= n >> 16
    return (n + 1) >> 1


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


def ReduceSumHalfInterval(src_local, count):
    """reduce_common.h: halve the row with Adds down to one repeat, then WholeReduceSum."""
    if count > ELEM_PER_REP_FP32:
        bodyCount = findPowerTwo(count)
        tailCount = count - bodyCount
        if tailCount > 0:
            cann.Add(src_local, src_local, src_local[bodyCount], tailCount)
            cann.PipeBarrier(cann.PIPE_V)
        while bodyCount > ELEM_PER_REP_FP32:
            bodyCount = bodyCount // HALf_INTERVAL
            cann.Add(src_local, src_local, src_local[bodyCount], bodyCount)
            cann.PipeBarrier(cann.PIPE_V)
        cann.AscendCUtils.SetMask[cann.float](ELEM_PER_REP_FP32)
    else:
        cann.AscendCUtils.SetMask[cann.float](count)
    if cann.g_coreType == cann.AIV:
        cann.WholeReduceSum(src_local, src_local, ELEM_PER_REP_FP32, 1, 0, 1, 0, isSetMask=False)
    event_v_s = cann.GetTPipePtr().FetchEventID(cann.HardEvent.V_S)
    cann.SetFlag(cann.HardEvent.V_S, event_v_s)
    cann.WaitFlag(cann.HardEvent.V_S, event_v_s)
    return src_local.GetValue(0)


class KernelRmsNorm:
    """KernelRmsNorm<T, T_GAMMA> with T = T_GAMMA = half."""

    def __init__(self, T, T_GAMMA):
        self.T, self.T_GAMMA = T, T_GAMMA

    def Init(self, x, gamma, y, rstd, tiling: RMSNormTilingData, usrWorkspace):
        T, T_GAMMA = self.T, self.T_GAMMA
        self.InitVar(tiling)
        self.blockIdx_ = cann.GetBlockIdx()
        if self.blockIdx_ < cann.GetBlockNum() - 1:
            self.row_work = self.block_factor
        elif self.blockIdx_ == cann.GetBlockNum() - 1:
            self.row_work = self.num_row - (cann.GetBlockNum() - 1) * self.block_factor
        # get start index for current core, core parallel
        start = self.blockIdx_ * self.block_factor * self.num_col
        self.xGm = cann.GlobalTensor(T)
        self.gammaGm = cann.GlobalTensor(T_GAMMA)
        self.yGm = cann.GlobalTensor(T)
        self.rstdGm = cann.GlobalTensor(cann.float)
        self.xGm.SetGlobalBuffer(x.cast(T) + start, self.row_work * self.num_col)
        self.gammaGm.SetGlobalBuffer(gamma.cast(T_GAMMA), self.num_col)
        self.yGm.SetGlobalBuffer(y.cast(T) + start, self.row_work * self.num_col)
        self.rstdGm.SetGlobalBuffer(
            rstd.cast(cann.float) + self.blockIdx_ * self.block_factor, self.block_factor
        )
        # pipe alloc memory to queue, the unit is Bytes
        self.pipe = cann.TPipe()
        self.inQueueX = cann.TQue(cann.QuePosition.VECIN, BUFFER_NUM)
        self.inQueueGamma = cann.TQue(cann.QuePosition.VECIN, BUFFER_NUM)
        self.outQueueY = cann.TQue(cann.QuePosition.VECOUT, BUFFER_NUM)
        self.outQueueRstd = cann.TQue(cann.QuePosition.VECOUT, BUFFER_NUM)
        self.x_fp32_buf = cann.TBuf(cann.TPosition.VECCALC)
        self.sqx_buf = cann.TBuf(cann.TPosition.VECCALC)
        self.reduce_fp32_buf = cann.TBuf(cann.TPosition.VECCALC)
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, self.ub_factor * sizeof(T))
        self.pipe.InitBuffer(self.inQueueGamma, BUFFER_NUM, self.ub_factor * sizeof(T_GAMMA))
        self.pipe.InitBuffer(self.outQueueY, BUFFER_NUM, self.ub_factor * sizeof(T))
        self.pipe.InitBuffer(self.outQueueRstd, BUFFER_NUM, self.row_factor * sizeof(cann.float))
        if T in (cann.half,) or self.is_gemma == 1:
            self.pipe.InitBuffer(self.x_fp32_buf, self.ub_factor * sizeof(cann.float))
        self.pipe.InitBuffer(self.sqx_buf, self.ub_factor * sizeof(cann.float))
        self.pipe.InitBuffer(self.reduce_fp32_buf, NUM_PER_REP_FP32 * sizeof(cann.float))

    def InitVar(self, tiling):
        self.is_gemma = tiling.is_gemma
        self.num_row = tiling.num_row
        self.num_col = tiling.num_col
        self.block_factor = tiling.block_factor
        self.row_factor = tiling.row_factor
        self.ub_factor = tiling.ub_factor
        self.epsilon = cann.float(tiling.epsilon)
        self.avg_factor = cann.float(1.0) / self.num_col if self.num_col != 0 else cann.float(0)

    def Process(self):
        self.CopyInGamma()
        gammaLocal = self.inQueueGamma.DeQue(self.T_GAMMA)
        i_o_max = CeilDiv(self.row_work, self.row_factor)
        row_tail = self.row_work - (i_o_max - 1) * self.row_factor
        for i_o in range(i_o_max - 1):
            self.SubProcess(i_o, self.row_factor, gammaLocal)
        self.SubProcess(i_o_max - 1, row_tail, gammaLocal)
        self.inQueueGamma.FreeTensor(gammaLocal)

    def SubProcess(self, i_o, calc_row_num, gammaLocal):
        rstdLocal = self.outQueueRstd.AllocTensor(cann.float)
        for i_i in range(calc_row_num):
            gm_bias = (i_o * self.row_factor + i_i) * self.num_col
            self.CopyIn(gm_bias)
            self.Compute(i_i, gammaLocal, rstdLocal)
            self.CopyOutY(gm_bias)
        self.outQueueRstd.EnQue(rstdLocal)
        self.CopyOutRstd(i_o, calc_row_num)

    def CopyIn(self, gm_bias):
        xLocal = self.inQueueX.AllocTensor(self.T)
        DataCopyCustom(self.T, xLocal, self.xGm[gm_bias], self.num_col)
        self.inQueueX.EnQue(xLocal)

    def CopyInGamma(self):
        gammaLocal = self.inQueueGamma.AllocTensor(self.T_GAMMA)
        DataCopyCustom(self.T_GAMMA, gammaLocal, self.gammaGm, self.num_col)
        self.inQueueGamma.EnQue(gammaLocal)

    def ComputeMulGammaCast(self, gammaLocal, elementNum):
        yLocal = self.outQueueY.AllocTensor(self.T)
        sqx = self.sqx_buf.Get(cann.float)
        gammaFp32 = self.x_fp32_buf.Get(cann.float)
        cann.Cast(gammaFp32, gammaLocal, cann.RoundMode.CAST_NONE, elementNum)
        cann.PipeBarrier(cann.PIPE_V)
        cann.Mul(sqx, sqx, gammaFp32, elementNum)
        cann.PipeBarrier(cann.PIPE_V)
        cann.Cast(yLocal, sqx, cann.RoundMode.CAST_NONE, elementNum)  # T is half
        self.outQueueY.EnQue(yLocal)

    def Compute(self, innerProgress, gammaLocal, rstdLocal):
        eventVS = cann.GetTPipePtr().FetchEventID(cann.HardEvent.V_S)
        eventSV = cann.GetTPipePtr().FetchEventID(cann.HardEvent.S_V)
        xLocal = self.inQueueX.DeQue(self.T)
        sqx = self.sqx_buf.Get(cann.float)
        self.reduce_fp32_buf.Get(cann.float)  # reduceBufLocal: unused on this path
        # 1. Cast x and Cal x^2
        xBufFp32 = self.x_fp32_buf.Get(cann.float)
        cann.Cast(xBufFp32, xLocal, cann.RoundMode.CAST_NONE, self.num_col)
        cann.PipeBarrier(cann.PIPE_V)
        self.inQueueX.FreeTensor(xLocal)
        cann.Mul(sqx, xBufFp32, xBufFp32, self.num_col)
        cann.PipeBarrier(cann.PIPE_V)
        # 2. Rstd = 1 / sqrt(1 / reduceDim * reducesum(x^2) + eps)
        reduceOut = ReduceSumHalfInterval(sqx, self.num_col)
        cann.SetFlag(cann.HardEvent.V_S, eventVS)
        cann.WaitFlag(cann.HardEvent.V_S, eventVS)
        rstdValue = cann.float(1) / np.sqrt(
            cann.float(reduceOut) * self.avg_factor + self.epsilon, dtype=np.float32
        )
        rstdLocal.SetValue(innerProgress, rstdValue)
        cann.SetFlag(cann.HardEvent.S_V, eventSV)
        cann.WaitFlag(cann.HardEvent.S_V, eventSV)
        # 3. Y = x * rstd * gamma (fp16 keeps x in xFp32Buf)
        cann.Muls(sqx, xBufFp32, rstdValue, self.num_col)
        cann.PipeBarrier(cann.PIPE_V)
        self.ComputeMulGammaCast(gammaLocal, self.num_col)
        cann.PipeBarrier(cann.PIPE_V)

    def CopyOutRstd(self, outer_progress, num):
        rstdLocal = self.outQueueRstd.DeQue(cann.float)
        DataCopyCustom(cann.float, self.rstdGm[outer_progress * self.row_factor], rstdLocal, num)
        self.outQueueRstd.FreeTensor(rstdLocal)

    def CopyOutY(self, progress):
        yLocal = self.outQueueY.DeQue(self.T)
        DataCopyCustom(self.T, self.yGm[progress], yLocal, self.num_col)
        self.outQueueY.FreeTensor(yLocal)


@cann.kernel
def rms_norm(x, gamma, y, rstd, workspace, tiling):
    op = KernelRmsNorm(cann.half, cann.half)
    op.Init(x, gamma, y, rstd, tiling, workspace)
    op.Process()


# (rows, cols, cores, row_factor)
CASES = {
    "16x1024_8_cores": (16, 1024, 8, 64),
    "48x100_ragged_row": (48, 100, 4, 5),
    "6x40_short_row": (6, 40, 2, 64),
}
LITERAL = False
MISSING: str | None = None
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "16x1024_8_cores"


def run(case: str) -> Result:
    rows, cols, cores, row_factor = CASES[case]
    gen = rng(case)
    x = gen.standard_normal((rows, cols)).astype(np.float16)
    gamma = gen.uniform(0.5, 1.5, cols).astype(np.float16)
    y = np.empty_like(x)
    rstd = np.empty(rows, np.float32)
    eps = 1e-6
    tiling = RMSNormTilingData(rows, cols, CeilDiv(rows, cores), row_factor, cols, eps)
    rms_norm[cores](x, gamma, y, rstd, None, tiling)
    x64 = x.astype(np.float64)
    want_rstd = 1 / np.sqrt((x64**2).mean(axis=1) + eps)
    want_y = x64 * want_rstd[:, None] * gamma.astype(np.float64)
    got = np.concatenate([y.astype(np.float64).ravel(), rstd])
    want = np.concatenate([want_y.ravel(), want_rstd])
    return Result(got, want, rtol=2e-3, atol=2e-3)
