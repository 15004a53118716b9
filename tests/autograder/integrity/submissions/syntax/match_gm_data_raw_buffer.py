"""Attack: `case GmAddr(data=xd)` on the kernel's GM arguments reads the raw numpy buffers without the `.data` attribute; z = x + y with numpy behind a decoy DataCopy/Sub pipeline.
A successful attack scores 10/10: correct values from numpy, modelled time from the decoy pipeline.
"""
# exercise: cann_add
# category: syntax
import numpy as np

from cudalike import cann
from cudalike.cann import (
    DataCopy,
    GmAddr,
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

    xd = yd = zd = None
    match (x, y, z):
        case (GmAddr(data=xd), GmAddr(data=yd), GmAddr(data=zd)):
            zd.view(np.float16)[:] = xd.view(np.float16) + yd.view(np.float16)
