"""Computes before y arrived: Compute takes a fresh buffer from inQueueY instead of DeQue."""

# expect: never DeQue'd
# expect: goes through EnQue before the next stage DeQues it
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


class KernelScaledAdd:
    def Init(self, x, y, z, alpha, tiling):
        self.alpha = alpha
        self.tileLength = tiling.tileLength
        start = tiling.blockLength * GetBlockIdx()
        self.blockLength = min(tiling.blockLength, tiling.totalLength - start)
        self.xGm = GlobalTensor(cann.half)
        self.yGm = GlobalTensor(cann.half)
        self.zGm = GlobalTensor(cann.half)
        self.xGm.SetGlobalBuffer(x.cast(cann.half) + start, self.blockLength)
        self.yGm.SetGlobalBuffer(y.cast(cann.half) + start, self.blockLength)
        self.zGm.SetGlobalBuffer(z.cast(cann.half) + start, self.blockLength)
        self.pipe = TPipe()
        self.inQueueX = TQue(TPosition.VECIN, BUFFER_NUM)
        self.inQueueY = TQue(TPosition.VECIN, BUFFER_NUM)
        self.outQueueZ = TQue(TPosition.VECOUT, BUFFER_NUM)
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, self.tileLength * 2)
        self.pipe.InitBuffer(self.inQueueY, BUFFER_NUM, self.tileLength * 2)
        self.pipe.InitBuffer(self.outQueueZ, BUFFER_NUM, self.tileLength * 2)

    def Process(self):
        loopCount = (self.blockLength + self.tileLength - 1) // self.tileLength
        for i in range(loopCount):
            offset = i * self.tileLength
            length = min(self.tileLength, self.blockLength - offset)
            self.CopyIn(offset, length)
            self.Compute(length)
            self.CopyOut(offset, length)

    def CopyIn(self, offset, length):
        xLocal = self.inQueueX.AllocTensor(cann.half)
        yLocal = self.inQueueY.AllocTensor(cann.half)
        self.Move(xLocal, self.xGm[offset], length)
        self.Move(yLocal, self.yGm[offset], length)
        self.inQueueX.EnQue(xLocal)
        self.inQueueY.EnQue(yLocal)

    def Compute(self, length):
        xLocal = self.inQueueX.DeQue(cann.half)
        yLocal = self.inQueueY.AllocTensor(cann.half)
        zLocal = self.outQueueZ.AllocTensor(cann.half)
        Muls(xLocal, xLocal, self.alpha, length)
        Add(zLocal, xLocal, yLocal, length)
        self.outQueueZ.EnQue(zLocal)
        self.inQueueX.FreeTensor(xLocal)
        self.inQueueY.FreeTensor(yLocal)

    def CopyOut(self, offset, length):
        zLocal = self.outQueueZ.DeQue(cann.half)
        self.Move(self.zGm[offset], zLocal, length)
        self.outQueueZ.FreeTensor(zLocal)

    def Move(self, dst, src, length):
        if length * 2 % 32 == 0:
            DataCopy(dst, src, length)
        else:
            DataCopyPad(dst, src, DataCopyExtParams(1, length * 2, 0, 0, 0))


@cann.kernel
def scaled_add_custom(x, y, z, alpha, tiling):
    op = KernelScaledAdd()
    op.Init(x, y, z, alpha, tiling)
    op.Process()
