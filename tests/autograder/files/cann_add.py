"""A learner's CANN-style add (the vendor sample), as a script."""

import numpy as np

from cudalike import cann
from cudalike.cann import (
    Add,
    DataCopy,
    DataCopyExtParams,
    DataCopyPad,
    GetBlockIdx,
    GlobalTensor,
    TPipe,
    TPosition,
    TQue,
)
from cudalike.cann.examples.add import AddTilingData  # only for the annotations

ALIGN = 32  # bytes: DataCopy moves whole 32-byte blocks


class KernelAdd:
    def Init(self, x, y, z, tiling: AddTilingData, dtype):
        self.dtype = dtype
        self.tileLength = tiling.tileLength
        start = tiling.blockLength * GetBlockIdx()
        self.blockLength = min(tiling.blockLength, tiling.totalLength - start)
        self.xGm = GlobalTensor(dtype)
        self.yGm = GlobalTensor(dtype)
        self.zGm = GlobalTensor(dtype)
        self.xGm.SetGlobalBuffer(x.cast(dtype) + start, self.blockLength)
        self.yGm.SetGlobalBuffer(y.cast(dtype) + start, self.blockLength)
        self.zGm.SetGlobalBuffer(z.cast(dtype) + start, self.blockLength)
        self.pipe = TPipe()
        self.inQueueX = TQue(TPosition.VECIN, tiling.bufferNum)
        self.inQueueY = TQue(TPosition.VECIN, tiling.bufferNum)
        self.outQueueZ = TQue(TPosition.VECOUT, tiling.bufferNum)
        itemsize = np.dtype(dtype).itemsize
        self.pipe.InitBuffer(self.inQueueX, tiling.bufferNum, self.tileLength * itemsize)
        self.pipe.InitBuffer(self.inQueueY, tiling.bufferNum, self.tileLength * itemsize)
        self.pipe.InitBuffer(self.outQueueZ, tiling.bufferNum, self.tileLength * itemsize)

    def Process(self):
        loopCount = -(-self.blockLength // self.tileLength)
        for i in range(loopCount):
            length = min(self.tileLength, self.blockLength - i * self.tileLength)
            self.CopyIn(i, length)
            self.Compute(i, length)
            self.CopyOut(i, length)

    def CopyIn(self, progress, length):
        xLocal = self.inQueueX.AllocTensor(self.dtype)
        yLocal = self.inQueueY.AllocTensor(self.dtype)
        offset = progress * self.tileLength
        if length * xLocal.dtype.itemsize % ALIGN == 0:
            DataCopy(xLocal, self.xGm[offset], length)
            DataCopy(yLocal, self.yGm[offset], length)
        else:
            params = DataCopyExtParams(1, length * xLocal.dtype.itemsize, 0, 0, 0)
            DataCopyPad(xLocal, self.xGm[offset], params)
            DataCopyPad(yLocal, self.yGm[offset], params)
        self.inQueueX.EnQue(xLocal)
        self.inQueueY.EnQue(yLocal)

    def Compute(self, progress, length):
        xLocal = self.inQueueX.DeQue(self.dtype)
        yLocal = self.inQueueY.DeQue(self.dtype)
        zLocal = self.outQueueZ.AllocTensor(self.dtype)
        Add(zLocal, xLocal, yLocal, length)
        self.outQueueZ.EnQue(zLocal)
        self.inQueueX.FreeTensor(xLocal)
        self.inQueueY.FreeTensor(yLocal)

    def CopyOut(self, progress, length):
        zLocal = self.outQueueZ.DeQue(self.dtype)
        offset = progress * self.tileLength
        if length * zLocal.dtype.itemsize % ALIGN == 0:
            DataCopy(self.zGm[offset], zLocal, length)
        else:
            params = DataCopyExtParams(1, length * zLocal.dtype.itemsize, 0, 0, 0)
            DataCopyPad(self.zGm[offset], zLocal, params)
        self.outQueueZ.FreeTensor(zLocal)


@cann.kernel
def add_custom(x, y, z, tiling: AddTilingData):
    op = KernelAdd()
    op.Init(x, y, z, tiling, x.dtype)
    op.Process()
