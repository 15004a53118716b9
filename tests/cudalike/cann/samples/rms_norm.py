"""The production RmsNorm operator: its kernel entry and the row kernel (KernelRmsNorm,
Atlas A2 path), half, float and bfloat16, gamma of x's type or float.

Source: hicann/ops-nn, norm/rms_norm/op_kernel/rms_norm.cpp (the entry) and rms_norm.h, with
the helpers they include from rms_norm_base.h (DataCopyCustom, IS_MIX_DTYPE) and
reduce_common.h (ReduceSumHalfInterval; jbgztxdy/ops-nn mirror,
norm/rms_norm/op_kernel/reduce_common.h); the tiling struct from
norm/rms_norm/op_host/rms_norm_tiling.h
(https://github.com/hicann/ops-nn/blob/master/norm/rms_norm/op_kernel/rms_norm.h)

y = x * rstd * gamma with rstd = 1 / sqrt(mean(x^2) + eps) per row, computed in fp32: rows are
split over cores (block_factor rows each), each row is cast to fp32, squared, summed by
halving Adds and one `vcadd` (ReduceSumHalfInterval), rstd is read on the scalar unit and
written to rstdLocal with SetValue, then y is scaled, multiplied by gamma and cast back. The
entry reads the tiling with GET_TILING_DATA and picks the kernel with TILING_KEY_IS.

Changed: nothing beyond Python spelling in the ported code. `__CCE_AICORE__ == 220` (Atlas
A2) is the branch kept wherever the source has one; `if constexpr (is_same<T, float>)` is
`if T == float`. The entry's other TILING_KEY_IS branches call kernels of other headers
(split-D, merge-N, single row, whole-reduce-sum) that are not ported: the host sets
RMSNORM_TILING_NORMAL, as the operator's tiling does for rows that fit in UB. DTYPE_X and
DTYPE_GAMMA, which the build defines per dtype combination, are module names the host sets
before the launch. The host tiling is built by the test, not by the operator's tiling
function: block_factor rows per core, row_factor rows per rstd batch, ub_factor = num_col.
"""

from __future__ import annotations

import numpy as np

from cudalike import cann

from ._common import Result, rng, sizeof

# rms_norm_base.h
BUFFER_NUM = 1
NUM_PER_REP_FP32 = 64
NUM_PER_BLK_FP32 = 8
HALf_INTERVAL = 2  # (sic)
# reduce_common.h
ELEM_PER_REP_FP32 = 64
# rms_norm.cpp
RMSNORM_TILING_NORMAL = 0
RMSNORM_TILING_SPILT_D = 1
RMSNORM_TILING_MERGE_N = 2
RMSNORM_TILING_SINGLE_ROW = 3

# The build's -DDTYPE_X=... -DDTYPE_GAMMA=... (set per case by the host)
DTYPE_X = cann.half
DTYPE_GAMMA = cann.half


class RMSNormTilingData(cann.TilingData):
    """BEGIN_TILING_DATA_DEF(RMSNormTilingData), rms_norm_tiling.h."""

    num_row: cann.uint64
    num_col: cann.uint64
    num_col_align: cann.uint64
    block_factor: cann.uint64
    row_factor: cann.uint32
    ub_factor: cann.uint32
    reduce_mask: cann.uint32
    left_num: cann.uint32
    last_reduce_mask: cann.uint32
    last_left_num: cann.uint32
    rstd_size: cann.uint32
    ub_loop: cann.uint32
    col_buffer_length: cann.uint32
    multi_n_num: cann.uint32
    is_nddma: cann.uint32
    epsilon: cann.float
    avg_factor: cann.float
    is_gemma: cann.uint8
    last_block_factor: cann.uint64
    row_loop: cann.uint64
    last_block_row_loop: cann.uint64
    row_tail: cann.uint64
    last_block_row_tail: cann.uint64
    mul_loop: cann.uint32
    mul_tail: cann.uint32
    dst_rep_stride: cann.uint8
    is_performance: cann.uint8
    normal_flag: cann.uint8


cann.REGISTER_TILING_DATA_CLASS("RmsNorm", RMSNormTilingData)


def CeilDiv(x, y):
    return x if y == 0 else (x + y - 1) // y


def ROUND_UP(x, block_number):
    if block_number > 0:
        return (x + block_number - 1) // block_number * block_number
    return 0


def findPowerTwo(n):
    # find max power of 2 no more than n (32 bit)
    n |= n >> 1
    n |= n >> 2
    n |= n >> 4
    n |= n >> 8
    n |= n >> 16
    return (n + 1) >> 1


def DataCopyCustom(T, dstTensor, srcTensor, count):
    """rms_norm_base.h's DataCopyCustom<T> on Atlas A2: one DataCopyPad row of `count`."""
    copyParams = cann.DataCopyParams()
    copyParams.blockLen = count * sizeof(T)
    copyParams.blockCount = 1
    if isinstance(dstTensor, cann.LocalTensor):  # is_same<U, LocalTensor<T>>
        padParams = cann.DataCopyPadParams()
        cann.DataCopyPad(dstTensor, srcTensor, copyParams, padParams)
    else:
        cann.DataCopyPad(dstTensor, srcTensor, copyParams)


def ReduceSumHalfInterval(src_local, count):
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
        cann.vcadd(
            src_local.GetPhyAddr().cast(cann.float),
            src_local.GetPhyAddr().cast(cann.float),
            1,
            0,
            1,
            0,
            False,
        )
    event_v_s = cann.GetTPipePtr().FetchEventID(cann.HardEvent.V_S)
    cann.set_flag(cann.PIPE_V, cann.PIPE_S, event_v_s)
    cann.wait_flag(cann.PIPE_V, cann.PIPE_S, event_v_s)
    return src_local.GetValue(0)


class KernelRmsNorm:
    """KernelRmsNorm<T, T_GAMMA> (rms_norm.h); the template arguments are constructor's."""

    def __init__(self, T, T_GAMMA):
        self.T, self.T_GAMMA = T, T_GAMMA
        self.IS_MIX_DTYPE = (not T == cann.float) and T_GAMMA == cann.float
        self.row_work = 1
        self.is_gemma = 0

    def Init(self, x, gamma, y, rstd, tiling: RMSNormTilingData, usrWorkspace):
        T, T_GAMMA = self.T, self.T_GAMMA
        assert cann.GetBlockNum() != 0, "block dim2 can not be zero!"
        self.InitVar(tiling)

        self.blockIdx_ = cann.GetBlockIdx()
        if self.blockIdx_ < cann.GetBlockNum() - 1:
            self.row_work = self.block_factor
        elif self.blockIdx_ == cann.GetBlockNum() - 1:
            self.row_work = self.num_row - (cann.GetBlockNum() - 1) * self.block_factor
        # get start index for current core, core parallel
        self.xGm = cann.GlobalTensor(T)
        self.gammaGm = cann.GlobalTensor(T_GAMMA)
        self.yGm = cann.GlobalTensor(T)
        self.rstdGm = cann.GlobalTensor(cann.float)
        self.xGm.SetGlobalBuffer(
            x.cast(T) + self.blockIdx_ * self.block_factor * self.num_col,
            self.row_work * self.num_col,
        )
        self.gammaGm.SetGlobalBuffer(gamma.cast(T_GAMMA), self.num_col)
        self.yGm.SetGlobalBuffer(
            y.cast(T) + self.blockIdx_ * self.block_factor * self.num_col,
            self.row_work * self.num_col,
        )
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

        if T == cann.half or T == cann.bfloat16_t or self.is_gemma == 1:
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
        self.epsilon = tiling.epsilon
        if self.num_col != 0:
            self.avg_factor = cann.float(1.0) / self.num_col
        else:
            self.avg_factor = cann.float(0)

        self.num_row_align = ROUND_UP(self.num_row, NUM_PER_BLK_FP32)

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
            gm_bias = i_o * self.row_factor + i_i
            gm_bias = gm_bias * self.num_col
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
        T = self.T
        yLocal = self.outQueueY.AllocTensor(T)
        sqx = self.sqx_buf.Get(cann.float)

        if T == cann.float:
            if self.is_gemma == 1:
                gammaFp32 = self.x_fp32_buf.Get(cann.float)
                cann.Adds(gammaFp32, gammaLocal, cann.float(1.0), elementNum)
                cann.PipeBarrier(cann.PIPE_V)
                cann.Mul(yLocal, sqx, gammaFp32, elementNum)
            else:
                cann.Mul(yLocal, sqx, gammaLocal, elementNum)
        else:
            if self.IS_MIX_DTYPE:
                cann.Mul(sqx, sqx, gammaLocal, elementNum)
            else:
                gammaFp32 = self.x_fp32_buf.Get(cann.float)
                cann.Cast(gammaFp32, gammaLocal, cann.RoundMode.CAST_NONE, elementNum)
                cann.PipeBarrier(cann.PIPE_V)
                if self.is_gemma == 1:
                    cann.Adds(gammaFp32, gammaFp32, cann.float(1.0), elementNum)
                    cann.PipeBarrier(cann.PIPE_V)
                cann.Mul(sqx, sqx, gammaFp32, elementNum)
            cann.PipeBarrier(cann.PIPE_V)
            if T == cann.half:
                cann.Cast(yLocal, sqx, cann.RoundMode.CAST_NONE, elementNum)
            else:
                cann.Cast(yLocal, sqx, cann.RoundMode.CAST_RINT, elementNum)
        self.outQueueY.EnQue(yLocal)

    def Compute(self, innerProgress, gammaLocal, rstdLocal):
        eventVS = cann.GetTPipePtr().FetchEventID(cann.HardEvent.V_S)
        eventSV = cann.GetTPipePtr().FetchEventID(cann.HardEvent.S_V)
        xLocal = self.inQueueX.DeQue(self.T)
        sqx = self.sqx_buf.Get(cann.float)
        reduceBufLocal = self.reduce_fp32_buf.Get(cann.float)  # noqa: F841 - unused, as there

        # 1. Cast x and Cal x^2
        if self.T == cann.float:
            cann.Mul(sqx, xLocal, xLocal, self.num_col)
        else:
            xBufFp32 = self.x_fp32_buf.Get(cann.float)
            cann.Cast(xBufFp32, xLocal, cann.RoundMode.CAST_NONE, self.num_col)
            cann.PipeBarrier(cann.PIPE_V)
            self.inQueueX.FreeTensor(xLocal)
            cann.Mul(sqx, xBufFp32, xBufFp32, self.num_col)
        cann.PipeBarrier(cann.PIPE_V)

        # 2. Rstd = 1 / sqrt(1 / reduceDim * reducesum(x^2) + eps)
        reduceOut = ReduceSumHalfInterval(sqx, self.num_col)
        cann.SetFlag[cann.HardEvent.V_S](eventVS)
        cann.WaitFlag[cann.HardEvent.V_S](eventVS)
        rstdValue = 1 / np.sqrt(reduceOut * self.avg_factor + self.epsilon)
        rstdLocal.SetValue(innerProgress, rstdValue)
        cann.SetFlag[cann.HardEvent.S_V](eventSV)
        cann.WaitFlag[cann.HardEvent.S_V](eventSV)

        # 3. Y = x * rstd * gamma
        if self.T == cann.float:  # fp32 use inQueueX store x
            cann.Muls(sqx, xLocal, rstdValue, self.num_col)
            self.inQueueX.FreeTensor(xLocal)
        else:  # fp16/bf16 use xFp32Buf store x
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
    tilingData = cann.GET_TILING_DATA(tiling)
    usrWorkspace = cann.GetUserWorkspace(workspace)
    if cann.TILING_KEY_IS(RMSNORM_TILING_NORMAL):
        rms_norm_normal = KernelRmsNorm(DTYPE_X, DTYPE_GAMMA)
        rms_norm_normal.Init(x, gamma, y, rstd, tilingData, usrWorkspace)
        rms_norm_normal.Process()


H, F, B = cann.half, cann.float, cann.bfloat16
# (rows, cols, cores, row_factor, DTYPE_X, DTYPE_GAMMA)
CASES = {
    "16x1024_8_cores": (16, 1024, 8, 64, H, H),
    "48x100_ragged_row": (48, 100, 4, 5, H, H),
    "6x40_short_row": (6, 40, 2, 64, H, H),
    "21x200_float_uneven_cores": (21, 200, 4, 3, F, F),
    "10x136_half_x_float_gamma": (10, 136, 3, 4, H, F),
    "9x72_bfloat16": (9, 72, 2, 2, B, B),
}
LITERAL = True
MISSING: str | None = None
MISSING_CASES: dict[str, str] = {}
BENCH_CASE = "16x1024_8_cores"


def run(case: str) -> Result:
    global DTYPE_X, DTYPE_GAMMA
    rows, cols, cores, row_factor, DTYPE_X, DTYPE_GAMMA = CASES[case]
    gen = rng(case)
    x64 = gen.standard_normal((rows, cols))
    gamma64 = gen.uniform(0.5, 1.5, cols)
    x = _host(x64, DTYPE_X)
    gamma = _host(gamma64, DTYPE_GAMMA)
    y = np.zeros_like(x)
    rstd = np.empty(rows, np.float32)
    eps = 1e-6
    tiling = RMSNormTilingData(
        num_row=rows,
        num_col=cols,
        num_col_align=ROUND_UP(cols, NUM_PER_BLK_FP32),
        block_factor=CeilDiv(rows, cores),
        row_factor=row_factor,
        ub_factor=cols,
        epsilon=eps,
        avg_factor=1.0 / cols,
    )
    blockDim = CeilDiv(rows, tiling.block_factor)
    tilingBuf = np.zeros(cann.sizeof(RMSNormTilingData), np.uint8)
    tiling.SaveToBuffer(tilingBuf, tilingBuf.nbytes)
    workspace = np.zeros(32, np.uint8)
    cann.ICPU_SET_TILING_KEY(RMSNORM_TILING_NORMAL)
    rms_norm[blockDim](x, gamma, y, rstd, workspace, tilingBuf)
    xs, gs = _exact(x, DTYPE_X), _exact(gamma, DTYPE_GAMMA)
    want_rstd = 1 / np.sqrt((xs**2).mean(axis=1) + eps)
    want_y = xs * want_rstd[:, None] * gs
    got = np.concatenate([_exact(y, DTYPE_X).ravel(), rstd])
    want = np.concatenate([want_y.ravel(), want_rstd])
    tol = 2e-2 if DTYPE_X == B else 2e-3
    return Result(got, want, rtol=tol, atol=tol)


def _host(values: np.ndarray, dtype) -> np.ndarray:
    """`values` as the host array of `dtype` (bfloat16 as its uint16 bits)."""
    if dtype == B:
        return cann.to_bfloat16(values.astype(np.float32))
    return values.astype(dtype)


def _exact(array: np.ndarray, dtype) -> np.ndarray:
    """The values a host array of `dtype` holds, in float64."""
    if dtype == B:
        return cann.from_bfloat16(array).astype(np.float64)
    return array.astype(np.float64)
