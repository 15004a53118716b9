"""Instructor solution for cann_port_saxpy: the CUDA grid-stride saxpy, ported.

CUDA's `for i in range(cuda.grid(1), n, cuda.gridsize(1))` hands thread i every gridsize-th
element. An AI core moves whole tiles instead, so core GetBlockIdx() takes one contiguous share
(tiling.blockLength elements, the last core what remains) and walks it tile by tile: CopyIn on
MTE2, a * x + y on the vector unit, CopyOut on MTE3. BUFFER_NUM = 2 lets the copies of one tile
overlap the compute of the next; a tile that is not whole 32-byte blocks moves with DataCopyPad.
"""

from cudalike import cann
from cudalike.cann import (
    Add,
    DataCopy,
    DataCopyExtParams,
    DataCopyPad,
    GetBlockIdx,
    GlobalTensor,
    Muls,
    TPipe,
    TPosition,
    TQue,
)

BUFFER_NUM = 2


class KernelSaxpy:
    def Init(self, a, x, y, out, tiling):  # ↔ share
        self.a = a
        self.tileLength = tiling.tileLength
        start = tiling.blockLength * GetBlockIdx()
        self.blockLength = min(tiling.blockLength, tiling.totalLength - start)
        self.xGm = GlobalTensor(cann.float32)
        self.yGm = GlobalTensor(cann.float32)
        self.outGm = GlobalTensor(cann.float32)
        self.xGm.SetGlobalBuffer(x + start, self.blockLength)  # ↔ share
        self.yGm.SetGlobalBuffer(y + start, self.blockLength)  # ↔ share
        self.outGm.SetGlobalBuffer(out + start, self.blockLength)  # ↔ share
        self.pipe = TPipe()
        self.inQueueX = TQue(TPosition.VECIN, BUFFER_NUM)
        self.inQueueY = TQue(TPosition.VECIN, BUFFER_NUM)
        self.outQueue = TQue(TPosition.VECOUT, BUFFER_NUM)
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, self.tileLength * 4)
        self.pipe.InitBuffer(self.inQueueY, BUFFER_NUM, self.tileLength * 4)
        self.pipe.InitBuffer(self.outQueue, BUFFER_NUM, self.tileLength * 4)

    def Process(self):  # ↔ loop
        tiles = (self.blockLength + self.tileLength - 1) // self.tileLength
        for i in range(tiles):
            offset = i * self.tileLength
            length = min(self.tileLength, self.blockLength - offset)
            self.CopyIn(offset, length)
            self.Compute(length)
            self.CopyOut(offset, length)

    def CopyIn(self, offset, length):  # ↔ load
        xLocal = self.inQueueX.AllocTensor(cann.float32)
        yLocal = self.inQueueY.AllocTensor(cann.float32)
        self.Move(xLocal, self.xGm[offset], length)
        self.Move(yLocal, self.yGm[offset], length)
        self.inQueueX.EnQue(xLocal)
        self.inQueueY.EnQue(yLocal)

    def Compute(self, length):  # ↔ compute
        xLocal = self.inQueueX.DeQue(cann.float32)
        yLocal = self.inQueueY.DeQue(cann.float32)
        outLocal = self.outQueue.AllocTensor(cann.float32)
        Muls(outLocal, xLocal, self.a, length)
        Add(outLocal, outLocal, yLocal, length)
        self.outQueue.EnQue(outLocal)
        self.inQueueX.FreeTensor(xLocal)
        self.inQueueY.FreeTensor(yLocal)

    def CopyOut(self, offset, length):  # ↔ store
        outLocal = self.outQueue.DeQue(cann.float32)
        self.Move(self.outGm[offset], outLocal, length)
        self.outQueue.FreeTensor(outLocal)

    def Move(self, dst, src, length):
        if length * 4 % 32 == 0:
            DataCopy(dst, src, length)
        else:
            DataCopyPad(dst, src, DataCopyExtParams(1, length * 4, 0, 0, 0))


@cann.kernel
def saxpy_custom(a, x, y, out, tiling):
    op = KernelSaxpy()
    op.Init(a, x, y, out, tiling)
    op.Process()
