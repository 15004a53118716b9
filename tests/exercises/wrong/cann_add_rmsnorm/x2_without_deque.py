"""Uses the x2 buffer without DeQue: the V pipe adds before MTE2 has copied x2 in."""

# expect: x1 and x2 each go AllocTensor, DataCopyPad, EnQue in CopyIn and DeQue in Compute
import math

import numpy as np

from cudalike import cann
from cudalike.cann import (
    Add,
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


class KernelAddRmsNorm:
    def Init(self, x1, x2, gamma, y, x, tiling, eps):
        self.cols = tiling.cols
        self.colsAligned = tiling.colsAligned
        self.eps = np.float32(eps)
        firstRow = tiling.rowsPerBlock * GetBlockIdx()
        self.rowCount = min(tiling.rowsPerBlock, tiling.rows - firstRow)
        self.x1Gm = GlobalTensor(cann.half)
        self.x2Gm = GlobalTensor(cann.half)
        self.xGm = GlobalTensor(cann.half)
        self.yGm = GlobalTensor(cann.half)
        self.gammaGm = GlobalTensor(cann.half)
        self.x1Gm.SetGlobalBuffer(x1 + firstRow * self.cols, self.rowCount * self.cols)
        self.x2Gm.SetGlobalBuffer(x2 + firstRow * self.cols, self.rowCount * self.cols)
        self.xGm.SetGlobalBuffer(x + firstRow * self.cols, self.rowCount * self.cols)
        self.yGm.SetGlobalBuffer(y + firstRow * self.cols, self.rowCount * self.cols)
        self.gammaGm.SetGlobalBuffer(gamma, self.cols)
        self.pipe = TPipe()
        rowBytes = self.colsAligned * 2
        self.inQueueX1 = TQue(TPosition.VECIN, BUFFER_NUM)
        self.inQueueX2 = TQue(TPosition.VECIN, BUFFER_NUM)
        self.outQueueX = TQue(TPosition.VECOUT, BUFFER_NUM)
        self.outQueueY = TQue(TPosition.VECOUT, BUFFER_NUM)
        self.gammaQueue = TQue(TPosition.VECIN, 1)
        self.pipe.InitBuffer(self.inQueueX1, BUFFER_NUM, rowBytes)
        self.pipe.InitBuffer(self.inQueueX2, BUFFER_NUM, rowBytes)
        self.pipe.InitBuffer(self.outQueueX, BUFFER_NUM, rowBytes)
        self.pipe.InitBuffer(self.outQueueY, BUFFER_NUM, rowBytes)
        self.pipe.InitBuffer(self.gammaQueue, 1, rowBytes)
        self.floatBuf = TBuf(TPosition.VECCALC)  # x, y, work, gamma: four float rows
        self.pipe.InitBuffer(self.floatBuf, 4 * self.colsAligned * 4)
        self.scalarBuf = TBuf(TPosition.VECCALC)
        self.pipe.InitBuffer(self.scalarBuf, 32)
        self.gammaFloat = self.FloatRow(3)
        gammaLocal = self.gammaQueue.AllocTensor(cann.half)
        DataCopyPad(gammaLocal, self.gammaGm, DataCopyExtParams(1, self.cols * 2, 0, 0, 0))
        self.gammaQueue.EnQue(gammaLocal)
        gammaLocal = self.gammaQueue.DeQue(cann.half)
        Cast(self.gammaFloat, gammaLocal, RoundMode.CAST_NONE, self.cols)
        self.gammaQueue.FreeTensor(gammaLocal)

    def FloatRow(self, index):
        start = index * self.colsAligned
        return self.floatBuf.Get(cann.float32)[start : start + self.colsAligned]

    def Process(self):
        for row in range(self.rowCount):
            self.CopyIn(row)
            self.Compute()
            self.CopyOut(row)

    def CopyIn(self, row):
        x1Local = self.inQueueX1.AllocTensor(cann.half)
        x2Local = self.inQueueX2.AllocTensor(cann.half)
        params = DataCopyExtParams(1, self.cols * 2, 0, 0, 0)
        DataCopyPad(x1Local, self.x1Gm[row * self.cols], params)
        DataCopyPad(x2Local, self.x2Gm[row * self.cols], params)
        self.inQueueX1.EnQue(x1Local)
        self.inQueueX2.EnQue(x2Local)

    def Compute(self):
        x1Local = self.inQueueX1.DeQue(cann.half)
        x2Local = self.inQueueX2.AllocTensor(cann.half)
        xLocal = self.outQueueX.AllocTensor(cann.half)
        yLocal = self.outQueueY.AllocTensor(cann.half)
        xFloat, yFloat, work = self.FloatRow(0), self.FloatRow(1), self.FloatRow(2)
        scalar = self.scalarBuf.Get(cann.float32)
        n = self.cols
        Add(xLocal, x1Local, x2Local, n)
        Cast(xFloat, xLocal, RoundMode.CAST_NONE, n)
        self.outQueueX.EnQue(xLocal)
        Mul(yFloat, xFloat, xFloat, n)
        Muls(yFloat, yFloat, np.float32(1.0 / n), n)
        ReduceSum(scalar, yFloat, work, n)
        meanSquare = self.ReadScalar(scalar)
        rstd = np.float32(1.0 / math.sqrt(meanSquare + self.eps))
        Muls(yFloat, xFloat, rstd, n)
        Mul(yFloat, yFloat, self.gammaFloat, n)
        Cast(yLocal, yFloat, RoundMode.CAST_RINT, n)
        self.outQueueY.EnQue(yLocal)
        self.inQueueX1.FreeTensor(x1Local)
        self.inQueueX2.FreeTensor(x2Local)

    def ReadScalar(self, tensor):
        SetFlag[HardEvent.V_S](0)
        WaitFlag[HardEvent.V_S](0)
        return np.float32(tensor.GetValue(0))

    def CopyOut(self, row):
        params = DataCopyExtParams(1, self.cols * 2, 0, 0, 0)
        xLocal = self.outQueueX.DeQue(cann.half)
        DataCopyPad(self.xGm[row * self.cols], xLocal, params)
        self.outQueueX.FreeTensor(xLocal)
        yLocal = self.outQueueY.DeQue(cann.half)
        DataCopyPad(self.yGm[row * self.cols], yLocal, params)
        self.outQueueY.FreeTensor(yLocal)


@cann.kernel
def add_rms_norm_custom(x1, x2, gamma, y, x, tiling, eps):
    op = KernelAddRmsNorm()
    op.Init(x1, x2, gamma, y, x, tiling, eps)
    op.Process()
