"""Copies gamma and beta into UB and widens them without EnQue / DeQue (no MTE2 -> V sync)."""

# expect: gamma and beta reach the V pipe through their queue
import math

import numpy as np

from cudalike import cann
from cudalike.cann import (
    Add,
    Adds,
    Cast,
    DataCopyExtParams,
    DataCopyPad,
    GetBlockIdx,
    GlobalTensor,
    HardEvent,
    Mul,
    Muls,
    ReduceSum,
    RoundMode,
    SetFlag,
    TBuf,
    TPipe,
    TPosition,
    TQue,
    WaitFlag,
)

BUFFER_NUM = 2


class KernelLayerNorm:
    def Init(self, x, y, tiling, gamma, beta, eps):
        self.cols = tiling.cols
        self.colsAligned = tiling.colsAligned
        self.eps = np.float32(eps)
        firstRow = tiling.rowsPerBlock * GetBlockIdx()
        self.rowCount = min(tiling.rowsPerBlock, tiling.rows - firstRow)
        self.xGm = GlobalTensor(cann.half)
        self.yGm = GlobalTensor(cann.half)
        self.gammaGm = GlobalTensor(cann.half)
        self.betaGm = GlobalTensor(cann.half)
        self.xGm.SetGlobalBuffer(x + firstRow * self.cols, self.rowCount * self.cols)
        self.yGm.SetGlobalBuffer(y + firstRow * self.cols, self.rowCount * self.cols)
        self.gammaGm.SetGlobalBuffer(gamma, self.cols)
        self.betaGm.SetGlobalBuffer(beta, self.cols)
        self.pipe = TPipe()
        rowBytes = self.colsAligned * 2
        self.inQueueX = TQue(TPosition.VECIN, BUFFER_NUM)
        self.outQueueY = TQue(TPosition.VECOUT, BUFFER_NUM)
        self.paramQueue = TQue(TPosition.VECIN, 1)  # gamma, then beta, once per core
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, rowBytes)
        self.pipe.InitBuffer(self.outQueueY, BUFFER_NUM, rowBytes)
        self.pipe.InitBuffer(self.paramQueue, 1, rowBytes)
        self.floatBuf = TBuf(TPosition.VECCALC)  # x, y, work, gamma, beta: five float rows
        self.pipe.InitBuffer(self.floatBuf, 5 * self.colsAligned * 4)
        self.scalarBuf = TBuf(TPosition.VECCALC)
        self.pipe.InitBuffer(self.scalarBuf, 32)
        self.gammaFloat = self.LoadParam(self.gammaGm, 3)
        self.betaFloat = self.LoadParam(self.betaGm, 4)

    def LoadParam(self, paramGm, index):
        paramLocal = self.paramQueue.AllocTensor(cann.half)
        DataCopyPad(paramLocal, paramGm, DataCopyExtParams(1, self.cols * 2, 0, 0, 0))
        paramFloat = self.FloatRow(index)
        Cast(paramFloat, paramLocal, RoundMode.CAST_NONE, self.cols)
        self.paramQueue.FreeTensor(paramLocal)
        return paramFloat

    def FloatRow(self, index):
        start = index * self.colsAligned
        return self.floatBuf.Get(cann.float32)[start : start + self.colsAligned]

    def Process(self):
        for row in range(self.rowCount):
            self.CopyIn(row)
            self.Compute()
            self.CopyOut(row)

    def CopyIn(self, row):
        xLocal = self.inQueueX.AllocTensor(cann.half)
        DataCopyPad(xLocal, self.xGm[row * self.cols], DataCopyExtParams(1, self.cols * 2, 0, 0, 0))
        self.inQueueX.EnQue(xLocal)

    def Compute(self):
        xLocal = self.inQueueX.DeQue(cann.half)
        yLocal = self.outQueueY.AllocTensor(cann.half)
        xFloat, yFloat, work = self.FloatRow(0), self.FloatRow(1), self.FloatRow(2)
        scalar = self.scalarBuf.Get(cann.float32)  # a sum, then a sum of squares
        n = self.cols
        Cast(xFloat, xLocal, RoundMode.CAST_NONE, n)
        ReduceSum(scalar, xFloat, work, n)
        mean = self.ReadScalar(scalar) / np.float32(n)
        Adds(xFloat, xFloat, -mean, n)
        Mul(yFloat, xFloat, xFloat, n)
        ReduceSum(scalar, yFloat, work, n)
        variance = self.ReadScalar(scalar) / np.float32(n)
        rstd = np.float32(1.0 / math.sqrt(variance + self.eps))
        Muls(yFloat, xFloat, rstd, n)
        Mul(yFloat, yFloat, self.gammaFloat, n)
        Add(yFloat, yFloat, self.betaFloat, n)
        Cast(yLocal, yFloat, RoundMode.CAST_RINT, n)
        self.outQueueY.EnQue(yLocal)
        self.inQueueX.FreeTensor(xLocal)

    def ReadScalar(self, tensor):
        SetFlag[HardEvent.V_S](0)
        WaitFlag[HardEvent.V_S](0)
        return np.float32(tensor.GetValue(0))

    def CopyOut(self, row):
        yLocal = self.outQueueY.DeQue(cann.half)
        DataCopyPad(self.yGm[row * self.cols], yLocal, DataCopyExtParams(1, self.cols * 2, 0, 0, 0))
        self.outQueueY.FreeTensor(yLocal)


@cann.kernel
def layernorm_custom(x, y, tiling, gamma, beta, eps):
    op = KernelLayerNorm()
    op.Init(x, y, tiling, gamma, beta, eps)
    op.Process()
