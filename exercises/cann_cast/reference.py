"""Reference for cann_cast: y = float16(x) rounded to nearest even (RoundMode.CAST_RINT), and
z = float32(y), the exact widening back, in one pass over float32 x; and its tiling.

Shares and tiles are multiples of 16 elements, so that they are whole 32-byte blocks of the
float16 output as well as of the float32 operands.
"""

from cudalike import cann
from cudalike.cann import (
    Cast,
    GetBlockIdx,
    GlobalTensor,
    RoundMode,
    TPipe,
    TPosition,
    TQue,
)
from cudalike.cann.kernels._elementwise import (
    ElementwiseTilingData,
    copy_in,
    copy_out,
    elementwise_tiling,
)

__all__ = ["ElementwiseTilingData", "cast_custom", "cast_tiling"]


class KernelCastRoundTrip:
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
        self.inQueueX = TQue(TPosition.VECIN, tiling.bufferNum)
        self.outQueueY = TQue(TPosition.VECOUT, tiling.bufferNum)
        self.outQueueZ = TQue(TPosition.VECOUT, tiling.bufferNum)
        self.pipe.InitBuffer(self.inQueueX, tiling.bufferNum, self.tileLength * 4)
        self.pipe.InitBuffer(self.outQueueY, tiling.bufferNum, self.tileLength * 2)
        self.pipe.InitBuffer(self.outQueueZ, tiling.bufferNum, self.tileLength * 4)

    def Process(self):
        loopCount = -(-self.blockLength // self.tileLength)
        for i in range(loopCount):
            offset = i * self.tileLength
            length = min(self.tileLength, self.blockLength - offset)
            xLocal = self.inQueueX.AllocTensor(cann.float32)
            copy_in(xLocal, self.xGm[offset], length)
            self.inQueueX.EnQue(xLocal)

            xLocal = self.inQueueX.DeQue(cann.float32)
            yLocal = self.outQueueY.AllocTensor(cann.half)
            zLocal = self.outQueueZ.AllocTensor(cann.float32)
            Cast(yLocal, xLocal, RoundMode.CAST_RINT, length)
            Cast(zLocal, yLocal, RoundMode.CAST_NONE, length)
            self.outQueueY.EnQue(yLocal)
            self.outQueueZ.EnQue(zLocal)
            self.inQueueX.FreeTensor(xLocal)

            yLocal = self.outQueueY.DeQue(cann.half)
            zLocal = self.outQueueZ.DeQue(cann.float32)
            copy_out(self.yGm[offset], yLocal, length)
            copy_out(self.zGm[offset], zLocal, length)
            self.outQueueY.FreeTensor(yLocal)
            self.outQueueZ.FreeTensor(zLocal)


@cann.kernel
def cast_custom(x, y, z, tiling):
    op = KernelCastRoundTrip()
    op.Init(x, y, z, tiling)
    op.Process()


def cast_tiling(n: int, num_blocks: int, tile_length: int) -> tuple[int, ElementwiseTilingData]:
    """Shares and tiles of a multiple of 16 elements (32 bytes of halves), double buffered."""
    return elementwise_tiling(n, num_blocks, tile_length, 2, 2)
