"""Frees x right after DeQue: CopyIn of the next tile may overwrite it while Muls reads it."""

# expect: after FreeTensor released its buffer
# expect: FreeTensor a tensor only after its last reader
from cudalike import cann
from cudalike.cann import (
    Add,
    DataCopy,
    DataCopyExtParams,
    DataCopyPad,
    GetBlockIdx,
    GlobalTensor,
    Maxs,
    Mins,
    Muls,
    TBuf,
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
        self.negBuf = TBuf(TPosition.VECCALC)
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, self.tileLength * 4)
        self.pipe.InitBuffer(self.outQueueY, BUFFER_NUM, self.tileLength * 4)
        self.pipe.InitBuffer(self.negBuf, self.tileLength * 4)

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
        self.inQueueX.FreeTensor(xLocal)
        yLocal = self.outQueueY.AllocTensor(cann.float32)
        negative = self.negBuf.Get(cann.float32)
        Mins(negative, xLocal, 0.0, length)
        Muls(negative, negative, self.negativeSlope, length)
        Maxs(yLocal, xLocal, 0.0, length)
        Add(yLocal, yLocal, negative, length)
        self.outQueueY.EnQue(yLocal)

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
