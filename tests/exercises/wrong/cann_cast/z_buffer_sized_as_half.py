"""Sizes z's buffers like y's, tileLength * 2 bytes: a tile of floats does not fit."""

# expect: Cast of 128 elements on a LocalTensor of 64
# expect: x's and z's (float) tileLength * 4
from cudalike import cann
from cudalike.cann import (
    Cast,
    DataCopyExtParams,
    DataCopyPad,
    GetBlockIdx,
    GlobalTensor,
    RoundMode,
    TPipe,
    TPosition,
    TQue,
)

BUFFER_NUM = 2


class KernelCast:
    def Init(self, x, y, z, tiling):
        self.tileLength = tiling.tileLength
        start = tiling.blockLength * GetBlockIdx()
        self.blockLength = min(tiling.blockLength, tiling.totalLength - start)
        self.xGm = GlobalTensor(cann.float32)
        self.yGm = GlobalTensor(cann.half)
        self.zGm = GlobalTensor(cann.float32)
        self.xGm.SetGlobalBuffer(x.cast(cann.float32) + start, self.blockLength)
        self.yGm.SetGlobalBuffer(y.cast(cann.half) + start, self.blockLength)
        self.zGm.SetGlobalBuffer(z.cast(cann.float32) + start, self.blockLength)
        self.pipe = TPipe()
        self.inQueueX = TQue(TPosition.VECIN, BUFFER_NUM)
        self.outQueueY = TQue(TPosition.VECOUT, BUFFER_NUM)
        self.outQueueZ = TQue(TPosition.VECOUT, BUFFER_NUM)
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, self.tileLength * 4)
        self.pipe.InitBuffer(self.outQueueY, BUFFER_NUM, self.tileLength * 2)
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
        xLocal = self.inQueueX.AllocTensor(cann.float32)
        DataCopyPad(xLocal, self.xGm[offset], DataCopyExtParams(1, length * 4, 0, 0, 0))
        self.inQueueX.EnQue(xLocal)

    def Compute(self, length):
        xLocal = self.inQueueX.DeQue(cann.float32)
        yLocal = self.outQueueY.AllocTensor(cann.half)
        zLocal = self.outQueueZ.AllocTensor(cann.float32)
        Cast(yLocal, xLocal, RoundMode.CAST_RINT, length)
        Cast(zLocal, yLocal, RoundMode.CAST_NONE, length)
        self.outQueueY.EnQue(yLocal)
        self.outQueueZ.EnQue(zLocal)
        self.inQueueX.FreeTensor(xLocal)

    def CopyOut(self, offset, length):
        yLocal = self.outQueueY.DeQue(cann.half)
        zLocal = self.outQueueZ.DeQue(cann.float32)
        DataCopyPad(self.yGm[offset], yLocal, DataCopyExtParams(1, length * 2, 0, 0, 0))
        DataCopyPad(self.zGm[offset], zLocal, DataCopyExtParams(1, length * 4, 0, 0, 0))
        self.outQueueY.FreeTensor(yLocal)
        self.outQueueZ.FreeTensor(zLocal)


@cann.kernel
def cast_custom(x, y, z, tiling):
    op = KernelCast()
    op.Init(x, y, z, tiling)
    op.Process()
