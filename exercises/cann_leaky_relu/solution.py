"""Instructor solution for cann_leaky_relu: queues carry every hand-over between pipes.

x goes MTE2 -> V through inQueueX (EnQue after the copy, DeQue before the vector
instructions), y goes V -> MTE3 through outQueueY; FreeTensor hands each buffer back to the
stage that refills it. Two instructions per tile: y = negative_slope * x, then y = max(y, x).
"""

from cudalike import cann
from cudalike.cann import (
    DataCopy,
    DataCopyExtParams,
    DataCopyPad,
    GetBlockIdx,
    GlobalTensor,
    Max,
    Muls,
    TPipe,
    TPosition,
    TQue,
)

BUFFER_NUM = 2


class KernelLeakyRelu:
    def Init(self, x, y, negativeSlope, tiling):
        self.negativeSlope = negativeSlope
        self.tileLength = tiling.tileLength
        start = tiling.blockLength * GetBlockIdx()
        self.blockLength = min(tiling.blockLength, tiling.totalLength - start)
        self.xGm = GlobalTensor(cann.float32)
        self.yGm = GlobalTensor(cann.float32)
        self.xGm.SetGlobalBuffer(x.cast(cann.float32) + start, self.blockLength)
        self.yGm.SetGlobalBuffer(y.cast(cann.float32) + start, self.blockLength)
        self.pipe = TPipe()
        self.inQueueX = TQue(TPosition.VECIN, BUFFER_NUM)
        self.outQueueY = TQue(TPosition.VECOUT, BUFFER_NUM)
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, self.tileLength * 4)
        self.pipe.InitBuffer(self.outQueueY, BUFFER_NUM, self.tileLength * 4)

    def Process(self):
        loopCount = (self.blockLength + self.tileLength - 1) // self.tileLength
        for i in range(loopCount):
            offset = i * self.tileLength
            length = min(self.tileLength, self.blockLength - offset)
            self.CopyIn(offset, length)
            self.Compute(length)
            self.CopyOut(offset, length)

    def CopyIn(self, offset, length):
        xLocal = self.inQueueX.AllocTensor(cann.float32)
        self.Move(xLocal, self.xGm[offset], length)
        self.inQueueX.EnQue(xLocal)

    def Compute(self, length):
        xLocal = self.inQueueX.DeQue(cann.float32)
        yLocal = self.outQueueY.AllocTensor(cann.float32)
        Muls(yLocal, xLocal, self.negativeSlope, length)
        Max(yLocal, yLocal, xLocal, length)
        self.outQueueY.EnQue(yLocal)
        self.inQueueX.FreeTensor(xLocal)

    def CopyOut(self, offset, length):
        yLocal = self.outQueueY.DeQue(cann.float32)
        self.Move(self.yGm[offset], yLocal, length)
        self.outQueueY.FreeTensor(yLocal)

    def Move(self, dst, src, length):
        if length * 4 % 32 == 0:
            DataCopy(dst, src, length)
        else:
            DataCopyPad(dst, src, DataCopyExtParams(1, length * 4, 0, 0, 0))


@cann.kernel
def leaky_relu_custom(x, y, negative_slope, tiling):
    op = KernelLeakyRelu()
    op.Init(x, y, negative_slope, tiling)
    op.Process()
