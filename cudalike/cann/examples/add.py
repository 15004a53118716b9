"""The canonical Ascend C vector add (the vendor's add_custom sample), line for line.

Each block adds its share of x and y into z, tile by tile: CopyIn (GM -> UB on MTE2, EnQue),
Compute (DeQue, Add on V, EnQue), CopyOut (DeQue, UB -> GM on MTE3). With BUFFER_NUM = 2 each
queue has two buffers, so the copy of tile i + 1 overlaps the Add of tile i.

Unlike the sample, sizes need not divide evenly: the host tiling gives every block a share
rounded to 32 bytes (the last block takes what remains) and the last tile of a block may be
short; a tail that is not a multiple of 32 bytes moves with DataCopyPad.
"""

from __future__ import annotations

import dataclasses

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

ALIGN = 32  # bytes: DataCopy moves whole 32-byte blocks


@dataclasses.dataclass
class AddTilingData:
    """What the host tells every block (Ascend C's TilingData struct).

    Attributes:
        totalLength: elements in x, y and z.
        blockLength: elements per block (the last block may have fewer).
        tileLength: elements per tile, a multiple of 32 bytes.
        bufferNum: buffers per queue (BUFFER_NUM): 2 for double buffering.
    """

    totalLength: int
    blockLength: int
    tileLength: int
    bufferNum: int = 2


def add_tiling(
    total_length: int, num_blocks: int, tile_length: int, buffer_num: int = 2, dtype=np.float16
):
    """Host tiling: (numBlocks actually needed, AddTilingData) for `total_length` elements.

    Example:
        >>> add_tiling(1000, 8, 64)[0]
        8
    """
    per_block = ALIGN // np.dtype(dtype).itemsize
    block_length = -(-total_length // num_blocks)
    block_length = -(-block_length // per_block) * per_block
    tile_length = min(-(-tile_length // per_block) * per_block, block_length)
    used_blocks = -(-total_length // block_length)
    return used_blocks, AddTilingData(total_length, block_length, tile_length, buffer_num)


class KernelAdd:
    def Init(self, x, y, z, tiling: AddTilingData, dtype=cann.half):
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


def add(
    x: np.ndarray, y: np.ndarray, num_blocks: int = 8, tile_length: int = 2048, buffer_num: int = 2
) -> np.ndarray:
    """Run add_custom on numpy arrays and return z (host side of the sample)."""
    blocks, tiling = add_tiling(x.size, num_blocks, tile_length, buffer_num, x.dtype)
    z = np.empty_like(x)
    add_custom[blocks](x, y, z, tiling)
    return z
