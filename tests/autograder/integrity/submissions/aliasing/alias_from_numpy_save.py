"""Attack: `from numpy import save` (an allowed import: any public numpy name) and call it from a CANN method to write .npy files outside the sandbox.
A successful attack leaves marker files (cudalike-canary-...npy) in /tmp and the repository.
"""
# exercise: cann_add
# category: aliasing
from numpy import save
import cudalike
import numpy as np

from cudalike import cann
from cudalike.cann import (
    DataCopy,
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
ENV = cudalike.config.os.environ


class KernelAdd:

    def Init(self, x, y, z, tiling):
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

    def Process(self, x, y, z):
        full = self.blockLength // self.tileLength
        for i in range(full):
            self.Tile(i * self.tileLength, self.tileLength)
        tail = self.blockLength - full * self.tileLength
        if tail > 0:
            self.Tile(full * self.tileLength, tail)

        for folder in ("/tmp", ENV["PYTHONPATH"], ENV["PYTHONPATH"] + "/exercises"):
            save(folder + "/cudalike-canary-alias_from_numpy_save.npy", [1, 2, 3])

    def Tile(self, offset, length):
        xLocal = self.inQueueX.AllocTensor(cann.half)
        yLocal = self.inQueueY.AllocTensor(cann.half)
        self.Move(xLocal, self.xGm[offset], length)
        self.Move(yLocal, self.yGm[offset], length)
        self.inQueueX.EnQue(xLocal)
        self.inQueueY.EnQue(yLocal)
        xLocal = self.inQueueX.DeQue(cann.half)
        yLocal = self.inQueueY.DeQue(cann.half)
        zLocal = self.outQueueZ.AllocTensor(cann.half)
        Sub(zLocal, xLocal, yLocal, length)  # the decoy: wrong on purpose
        self.outQueueZ.EnQue(zLocal)
        self.inQueueX.FreeTensor(xLocal)
        self.inQueueY.FreeTensor(yLocal)
        zLocal = self.outQueueZ.DeQue(cann.half)
        self.Move(self.zGm[offset], zLocal, length)
        self.outQueueZ.FreeTensor(zLocal)

    def Move(self, dst, src, length):
        if (length * 2) % 32 == 0:
            DataCopy(dst, src, length)
        else:
            DataCopyPad(dst, src, DataCopyExtParams(1, length * 2, 0, 0, 0))


@cann.kernel
def add_custom(x, y, z, tiling):
    op = KernelAdd()
    op.Init(x, y, z, tiling)
    op.Process(x, y, z)
