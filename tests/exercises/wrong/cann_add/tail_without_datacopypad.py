"""Copies the ragged tail with DataCopy too: 15 halves are 30 bytes, not whole blocks."""

# expect: AlignmentError
# expect: DataCopyPad(dst, src, DataCopyExtParams(1, length * 2, 0, 0, 0))
from cudalike import cann
from cudalike.cann import (
    Add,
    DataCopy,
    GetBlockIdx,
    GlobalTensor,
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
        tileBytes = self.tileLength * 2  # half: 2 bytes
        self.pipe.InitBuffer(self.inQueueX, BUFFER_NUM, tileBytes)
        self.pipe.InitBuffer(self.inQueueY, BUFFER_NUM, tileBytes)
        self.pipe.InitBuffer(self.outQueueZ, BUFFER_NUM, tileBytes)

    def Process(self):
        fullTiles = self.blockLength // self.tileLength
        for i in range(fullTiles):
            self.Tile(i * self.tileLength, self.tileLength)
        tail = self.blockLength - fullTiles * self.tileLength
        if tail > 0:
            self.Tile(fullTiles * self.tileLength, tail)

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
        Add(zLocal, xLocal, yLocal, length)
        self.outQueueZ.EnQue(zLocal)
        self.inQueueX.FreeTensor(xLocal)
        self.inQueueY.FreeTensor(yLocal)

        zLocal = self.outQueueZ.DeQue(cann.half)
        self.Move(self.zGm[offset], zLocal, length)
        self.outQueueZ.FreeTensor(zLocal)

    def Move(self, dst, src, length):
        DataCopy(dst, src, length)


@cann.kernel
def add_custom(x, y, z, tiling):
    op = KernelAdd()
    op.Init(x, y, z, tiling)
    op.Process()
