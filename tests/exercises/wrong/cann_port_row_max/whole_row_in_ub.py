"""Copies a whole row into UB at once, as one CUDA block reads a whole row: a row of 20000
floats needs 2 x 80 KB of input buffers and an 80 KB work buffer, more than a core's UB."""

# expect: copy a long row in chunks
# expect: on-chip memory exceeded
from cudalike import cann
from cudalike.cann import (
    DataCopyExtParams,
    DataCopyPad,
    GetBlockIdx,
    GlobalTensor,
    Max,
    ReduceMax,
    TBuf,
    TPipe,
    TPosition,
    TQue,
)

BUFFER_NUM = 2


class KernelRowMax:
    def Init(self, x, y, tiling):
        self.cols = tiling.cols
        self.chunkLength = (tiling.cols + 7) // 8 * 8
        firstRow = tiling.rowsPerBlock * GetBlockIdx()
        self.rowCount = min(tiling.rowsPerBlock, tiling.rows - firstRow)
        self.xGm = GlobalTensor(cann.float32)
        self.yGm = GlobalTensor(cann.float32)
        self.xGm.SetGlobalBuffer(x + firstRow * self.cols, self.rowCount * self.cols)
        self.yGm.SetGlobalBuffer(y + firstRow, self.rowCount)
        self.pipe = TPipe()
        self.inQueueX = TQue(TPosition.VECIN, BUFFER_NUM)
        self.outQueueY = TQue(TPosition.VECOUT, BUFFER_NUM)
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, self.chunkLength * 4)
        self.pipe.InitBuffer(self.outQueueY, BUFFER_NUM, 32)
        self.workBuf = TBuf(TPosition.VECCALC)
        self.pipe.InitBuffer(self.workBuf, self.chunkLength * 4)
        self.chunkMaxBuf = TBuf(TPosition.VECCALC)
        self.pipe.InitBuffer(self.chunkMaxBuf, 32)

    def Process(self):
        chunks = (self.cols + self.chunkLength - 1) // self.chunkLength
        for row in range(self.rowCount):
            for k in range(chunks):
                offset = k * self.chunkLength
                length = min(self.chunkLength, self.cols - offset)
                self.CopyIn(row * self.cols + offset, length)
                self.Compute(k, chunks, length)
            self.CopyOut(row)

    def CopyIn(self, start, length):
        xLocal = self.inQueueX.AllocTensor(cann.float32)
        DataCopyPad(xLocal, self.xGm[start], DataCopyExtParams(1, length * 4, 0, 0, 0))
        self.inQueueX.EnQue(xLocal)

    def Compute(self, k, chunks, length):
        xLocal = self.inQueueX.DeQue(cann.float32)
        workLocal = self.workBuf.Get(cann.float32)
        if k == 0:
            self.rowMax = self.outQueueY.AllocTensor(cann.float32)
            ReduceMax(self.rowMax, xLocal, workLocal, length)
        else:
            chunkMax = self.chunkMaxBuf.Get(cann.float32)
            ReduceMax(chunkMax, xLocal, workLocal, length)
            Max(self.rowMax, self.rowMax, chunkMax, 1)
        self.inQueueX.FreeTensor(xLocal)
        if k == chunks - 1:
            self.outQueueY.EnQue(self.rowMax)

    def CopyOut(self, row):
        yLocal = self.outQueueY.DeQue(cann.float32)
        DataCopyPad(self.yGm[row], yLocal, DataCopyExtParams(1, 4, 0, 0, 0))
        self.outQueueY.FreeTensor(yLocal)


@cann.kernel
def row_max_custom(x, y, tiling):
    op = KernelRowMax()
    op.Init(x, y, tiling)
    op.Process()
