"""Gives every core a full tiling.blockLength share: the last core's is shorter, so its copies
run past n (the grid-stride loop's `i < n` guard was dropped in the port)."""

# expect: the last core's share is min(tiling.blockLength, tiling.totalLength - start)
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
    def Init(self, a, x, y, out, tiling):
        self.a = a
        self.tileLength = tiling.tileLength
        start = tiling.blockLength * GetBlockIdx()
        self.blockLength = tiling.blockLength
        self.xGm = GlobalTensor(cann.float32)
        self.yGm = GlobalTensor(cann.float32)
        self.outGm = GlobalTensor(cann.float32)
        self.xGm.SetGlobalBuffer(x + start, self.blockLength)
        self.yGm.SetGlobalBuffer(y + start, self.blockLength)
        self.outGm.SetGlobalBuffer(out + start, self.blockLength)
        self.pipe = TPipe()
        self.inQueueX = TQue(TPosition.VECIN, BUFFER_NUM)
        self.inQueueY = TQue(TPosition.VECIN, BUFFER_NUM)
        self.outQueue = TQue(TPosition.VECOUT, BUFFER_NUM)
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, self.tileLength * 4)
        self.pipe.InitBuffer(self.inQueueY, BUFFER_NUM, self.tileLength * 4)
        self.pipe.InitBuffer(self.outQueue, BUFFER_NUM, self.tileLength * 4)

    def Process(self):
        tiles = (self.blockLength + self.tileLength - 1) // self.tileLength
        for i in range(tiles):
            offset = i * self.tileLength
            length = min(self.tileLength, self.blockLength - offset)
            self.CopyIn(offset, length)
            self.Compute(length)
            self.CopyOut(offset, length)

    def CopyIn(self, offset, length):
        xLocal = self.inQueueX.AllocTensor(cann.float32)
        yLocal = self.inQueueY.AllocTensor(cann.float32)
        self.Move(xLocal, self.xGm[offset], length)
        self.Move(yLocal, self.yGm[offset], length)
        self.inQueueX.EnQue(xLocal)
        self.inQueueY.EnQue(yLocal)

    def Compute(self, length):
        xLocal = self.inQueueX.DeQue(cann.float32)
        yLocal = self.inQueueY.DeQue(cann.float32)
        outLocal = self.outQueue.AllocTensor(cann.float32)
        Muls(outLocal, xLocal, self.a, length)
        Add(outLocal, outLocal, yLocal, length)
        self.outQueue.EnQue(outLocal)
        self.inQueueX.FreeTensor(xLocal)
        self.inQueueY.FreeTensor(yLocal)

    def CopyOut(self, offset, length):
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
