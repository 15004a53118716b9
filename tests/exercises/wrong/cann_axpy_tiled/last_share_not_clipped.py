"""Takes a whole blockLength on every core: the last core reads and writes past the end."""

# expect: The last core's share is shorter
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

ALIGN = 32


class KernelAxpy:
    def Init(self, x, y, out, tiling, alpha):
        self.alpha = alpha
        self.tileLength = tiling.tileLength
        first = tiling.blockLength * GetBlockIdx()
        self.blockLength = tiling.blockLength
        self.xGm = GlobalTensor(cann.float32)
        self.yGm = GlobalTensor(cann.float32)
        self.outGm = GlobalTensor(cann.float32)
        self.xGm.SetGlobalBuffer(x.cast(cann.float32) + first, self.blockLength)
        self.yGm.SetGlobalBuffer(y.cast(cann.float32) + first, self.blockLength)
        self.outGm.SetGlobalBuffer(out.cast(cann.float32) + first, self.blockLength)
        self.pipe = TPipe()
        self.inQueueX = TQue(TPosition.VECIN, tiling.bufferNum)
        self.inQueueY = TQue(TPosition.VECIN, tiling.bufferNum)
        self.outQueue = TQue(TPosition.VECOUT, tiling.bufferNum)
        for queue in (self.inQueueX, self.inQueueY, self.outQueue):
            self.pipe.InitBuffer(queue, tiling.bufferNum, self.tileLength * 4)

    def Process(self):
        wholeTiles = self.blockLength // self.tileLength
        for i in range(wholeTiles):
            self.Tile(i * self.tileLength, self.tileLength)
        tail = self.blockLength % self.tileLength
        if tail > 0:
            self.Tile(wholeTiles * self.tileLength, tail)

    def Tile(self, offset, length):
        xLocal = self.inQueueX.AllocTensor(cann.float32)
        yLocal = self.inQueueY.AllocTensor(cann.float32)
        self.Copy(xLocal, self.xGm[offset], length)
        self.Copy(yLocal, self.yGm[offset], length)
        self.inQueueX.EnQue(xLocal)
        self.inQueueY.EnQue(yLocal)

        xLocal = self.inQueueX.DeQue(cann.float32)
        yLocal = self.inQueueY.DeQue(cann.float32)
        outLocal = self.outQueue.AllocTensor(cann.float32)
        Muls(outLocal, xLocal, self.alpha, length)
        Add(outLocal, outLocal, yLocal, length)
        self.outQueue.EnQue(outLocal)
        self.inQueueX.FreeTensor(xLocal)
        self.inQueueY.FreeTensor(yLocal)

        outLocal = self.outQueue.DeQue(cann.float32)
        self.Copy(self.outGm[offset], outLocal, length)
        self.outQueue.FreeTensor(outLocal)

    def Copy(self, dst, src, length):
        if length * 4 % ALIGN == 0:
            DataCopy(dst, src, length)
        else:
            DataCopyPad(dst, src, DataCopyExtParams(1, length * 4, 0, 0, 0))


@cann.kernel
def axpy_custom(x, y, out, tiling, alpha):
    op = KernelAxpy()
    op.Init(x, y, out, tiling, alpha)
    op.Process()
