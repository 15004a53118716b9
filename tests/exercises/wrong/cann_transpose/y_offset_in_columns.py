"""Starts a core's part of y at firstCol * cols instead of firstCol * rows."""

# expect: past the end of its allocation
# expect: a core's y starts at firstCol * rows
from cudalike import cann
from cudalike.cann import (
    DataCopyExtParams,
    DataCopyPad,
    GetBlockIdx,
    GlobalTensor,
    TPipe,
    TPosition,
    TQue,
)

BLOCK_BYTES = 32
HALF_BYTES = 2


class KernelTranspose:
    def Init(self, x, y, tiling):
        self.rows = tiling.rows
        self.cols = tiling.cols
        self.firstCol = tiling.colsPerBlock * GetBlockIdx()
        self.myCols = min(tiling.colsPerBlock, tiling.cols - self.firstCol)
        self.xGm = GlobalTensor(cann.half)
        self.yGm = GlobalTensor(cann.half)
        self.xGm.SetGlobalBuffer(x.cast(cann.half), self.rows * self.cols)
        self.yGm.SetGlobalBuffer(
            y.cast(cann.half) + self.firstCol * self.cols, self.myCols * self.rows
        )
        self.gather = DataCopyExtParams(self.rows, HALF_BYTES, (self.cols - 1) * HALF_BYTES, 0, 0)
        self.scatter = DataCopyExtParams(self.rows, HALF_BYTES, 0, 0, 0)
        self.pipe = TPipe()
        self.columnQueue = TQue(TPosition.VECIN, tiling.bufferNum)
        self.pipe.InitBuffer(self.columnQueue, tiling.bufferNum, self.rows * BLOCK_BYTES)

    def Process(self):
        for j in range(self.myCols):
            column = self.columnQueue.AllocTensor(cann.half)
            DataCopyPad(column, self.xGm[self.firstCol + j], self.gather)
            self.columnQueue.EnQue(column)
            column = self.columnQueue.DeQue(cann.half)
            DataCopyPad(self.yGm[j * self.rows], column, self.scatter)
            self.columnQueue.FreeTensor(column)


@cann.kernel
def transpose_custom(x, y, tiling):
    op = KernelTranspose()
    op.Init(x, y, tiling)
    op.Process()
