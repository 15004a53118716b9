"""Instructor solution for cann_port_row_max: the CUDA block-per-row maximum, ported.

The CUDA kernel gives each row a block, whose threads stride over the row, then combine their
maxima in a shared-memory tree and with warp shuffles. On an AI core one vector instruction
does the tree: ReduceMax. A core takes tiling.rowsPerBlock rows; a row longer than one UB
tile is walked in chunks of tiling.colsAligned floats: the first chunk is copied into a running
maximum of one tile, every further chunk folded into it with Max (a short last chunk only into
its first elements, which still hold values of the row), and one ReduceMax over the running
maximum ends the row. DataCopyPad moves a chunk of any length; double buffered, the copy of
the next chunk overlaps the Max of this one.
"""

from cudalike import cann
from cudalike.cann import (
    Adds,
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
    def Init(self, x, y, tiling):  # ↔ rows
        self.cols = tiling.cols
        self.chunkLength = tiling.colsAligned
        firstRow = tiling.rowsPerBlock * GetBlockIdx()
        self.rowCount = min(tiling.rowsPerBlock, tiling.rows - firstRow)
        self.xGm = GlobalTensor(cann.float32)
        self.yGm = GlobalTensor(cann.float32)
        self.xGm.SetGlobalBuffer(x + firstRow * self.cols, self.rowCount * self.cols)  # ↔ rows
        self.yGm.SetGlobalBuffer(y + firstRow, self.rowCount)  # ↔ rows
        self.pipe = TPipe()
        self.inQueueX = TQue(TPosition.VECIN, BUFFER_NUM)
        self.outQueueY = TQue(TPosition.VECOUT, BUFFER_NUM)
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, self.chunkLength * 4)
        self.pipe.InitBuffer(self.outQueueY, BUFFER_NUM, 32)
        self.runningBuf = TBuf(TPosition.VECCALC)
        self.pipe.InitBuffer(self.runningBuf, self.chunkLength * 4)
        self.workBuf = TBuf(TPosition.VECCALC)
        self.pipe.InitBuffer(self.workBuf, self.chunkLength * 4)  # ↔ reduce

    def Process(self):  # ↔ chunks
        chunks = (self.cols + self.chunkLength - 1) // self.chunkLength
        for row in range(self.rowCount):
            for k in range(chunks):
                offset = k * self.chunkLength
                length = min(self.chunkLength, self.cols - offset)
                self.CopyIn(row * self.cols + offset, length)
                self.Fold(k, length)
            self.Compute()
            self.CopyOut(row)

    def CopyIn(self, start, length):  # ↔ load
        xLocal = self.inQueueX.AllocTensor(cann.float32)
        DataCopyPad(xLocal, self.xGm[start], DataCopyExtParams(1, length * 4, 0, 0, 0))
        self.inQueueX.EnQue(xLocal)

    def Fold(self, k, length):  # ↔ reduce
        xLocal = self.inQueueX.DeQue(cann.float32)
        running = self.runningBuf.Get(cann.float32)
        if k == 0:
            Adds(running, xLocal, 0.0, length)
        else:
            Max(running, running, xLocal, length)
        self.inQueueX.FreeTensor(xLocal)

    def Compute(self):  # ↔ reduce
        yLocal = self.outQueueY.AllocTensor(cann.float32)
        first = min(self.chunkLength, self.cols)
        ReduceMax(yLocal, self.runningBuf.Get(cann.float32), self.workBuf.Get(cann.float32), first)
        self.outQueueY.EnQue(yLocal)

    def CopyOut(self, row):  # ↔ store
        yLocal = self.outQueueY.DeQue(cann.float32)
        DataCopyPad(self.yGm[row], yLocal, DataCopyExtParams(1, 4, 0, 0, 0))
        self.outQueueY.FreeTensor(yLocal)


@cann.kernel
def row_max_custom(x, y, tiling):
    op = KernelRowMax()
    op.Init(x, y, tiling)
    op.Process()
