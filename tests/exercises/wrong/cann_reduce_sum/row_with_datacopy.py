"""Copies each row with DataCopy: a row of 100 floats is 400 bytes, not whole 32-byte blocks."""

# expect: move a row with DataCopyPad
from cudalike import cann
from cudalike.cann import (
    DataCopy,
    DataCopyExtParams,
    DataCopyPad,
    GetBlockIdx,
    GlobalTensor,
    ReduceSum,
    TBuf,
    TPipe,
    TPosition,
    TQue,
)

BUFFER_NUM = 2


class KernelRowSums:
    def Init(self, x, y, tiling):
        self.cols = tiling.cols
        firstRow = tiling.rowsPerBlock * GetBlockIdx()
        self.rowCount = min(tiling.rowsPerBlock, tiling.rows - firstRow)
        self.xGm = GlobalTensor(cann.float32)
        self.yGm = GlobalTensor(cann.float32)
        self.xGm.SetGlobalBuffer(x + firstRow * self.cols, self.rowCount * self.cols)
        self.yGm.SetGlobalBuffer(y + firstRow, self.rowCount)
        self.pipe = TPipe()
        self.inQueueX = TQue(TPosition.VECIN, BUFFER_NUM)
        self.outQueueY = TQue(TPosition.VECOUT, BUFFER_NUM)
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, tiling.colsAligned * 4)
        self.pipe.InitBuffer(self.outQueueY, BUFFER_NUM, 32)
        self.workBuf = TBuf(TPosition.VECCALC)
        self.pipe.InitBuffer(self.workBuf, tiling.colsAligned * 4)

    def Process(self):
        for row in range(self.rowCount):
            self.CopyIn(row)
            self.Compute()
            self.CopyOut(row)

    def CopyIn(self, row):
        xLocal = self.inQueueX.AllocTensor(cann.float32)
        DataCopy(xLocal, self.xGm[row * self.cols], self.cols)
        self.inQueueX.EnQue(xLocal)

    def Compute(self):
        xLocal = self.inQueueX.DeQue(cann.float32)
        yLocal = self.outQueueY.AllocTensor(cann.float32)
        ReduceSum(yLocal, xLocal, self.workBuf.Get(cann.float32), self.cols)
        self.outQueueY.EnQue(yLocal)
        self.inQueueX.FreeTensor(xLocal)

    def CopyOut(self, row):
        yLocal = self.outQueueY.DeQue(cann.float32)
        DataCopyPad(self.yGm[row], yLocal, DataCopyExtParams(1, 4, 0, 0, 0))
        self.outQueueY.FreeTensor(yLocal)


@cann.kernel
def reduce_sum_custom(x, y, tiling):
    op = KernelRowSums()
    op.Init(x, y, tiling)
    op.Process()
