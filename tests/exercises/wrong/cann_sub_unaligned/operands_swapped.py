"""Subtracts in the wrong order: z = y - x."""

# expect: with x first
from cudalike import cann
from cudalike.cann import (
    DataCopyExtParams,
    DataCopyPad,
    GetBlockIdx,
    GlobalTensor,
    Sub,
    TPipe,
    TPosition,
    TQue,
)

BUFFER_NUM = 2


class KernelSub:
    def Init(self, x, y, z, tiling):
        self.tileLength = tiling.tileLength
        start = tiling.blockLength * GetBlockIdx()
        self.blockLength = min(tiling.blockLength, tiling.totalLength - start)
        self.xGm = GlobalTensor(cann.float32)
        self.yGm = GlobalTensor(cann.float32)
        self.zGm = GlobalTensor(cann.float32)
        self.xGm.SetGlobalBuffer(x.cast(cann.float32) + start, self.blockLength)
        self.yGm.SetGlobalBuffer(y.cast(cann.float32) + start, self.blockLength)
        self.zGm.SetGlobalBuffer(z.cast(cann.float32) + start, self.blockLength)
        self.pipe = TPipe()
        self.inQueueX = TQue(TPosition.VECIN, BUFFER_NUM)
        self.inQueueY = TQue(TPosition.VECIN, BUFFER_NUM)
        self.outQueueZ = TQue(TPosition.VECOUT, BUFFER_NUM)
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, self.tileLength * 4)
        self.pipe.InitBuffer(self.inQueueY, BUFFER_NUM, self.tileLength * 4)
        self.pipe.InitBuffer(self.outQueueZ, BUFFER_NUM, self.tileLength * 4)

    def Process(self):
        offset = 0
        while offset < self.blockLength:
            length = min(self.tileLength, self.blockLength - offset)
            self.CopyIn(offset, length)
            self.Compute(length)
            self.CopyOut(offset, length)
            offset += length

    def CopyIn(self, offset, length):
        params = DataCopyExtParams(1, length * 4, 0, 0, 0)
        xLocal = self.inQueueX.AllocTensor(cann.float32)
        yLocal = self.inQueueY.AllocTensor(cann.float32)
        DataCopyPad(xLocal, self.xGm[offset], params)
        DataCopyPad(yLocal, self.yGm[offset], params)
        self.inQueueX.EnQue(xLocal)
        self.inQueueY.EnQue(yLocal)

    def Compute(self, length):
        xLocal = self.inQueueX.DeQue(cann.float32)
        yLocal = self.inQueueY.DeQue(cann.float32)
        zLocal = self.outQueueZ.AllocTensor(cann.float32)
        Sub(zLocal, yLocal, xLocal, length)
        self.outQueueZ.EnQue(zLocal)
        self.inQueueX.FreeTensor(xLocal)
        self.inQueueY.FreeTensor(yLocal)

    def CopyOut(self, offset, length):
        zLocal = self.outQueueZ.DeQue(cann.float32)
        DataCopyPad(self.zGm[offset], zLocal, DataCopyExtParams(1, length * 4, 0, 0, 0))
        self.outQueueZ.FreeTensor(zLocal)


@cann.kernel
def sub_custom(x, y, z, tiling):
    op = KernelSub()
    op.Init(x, y, z, tiling)
    op.Process()
