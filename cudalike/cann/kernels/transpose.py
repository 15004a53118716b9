"""transpose: y = x.T for a 2-D x, by strided DMA alone (a data-movement operator).

Output row j is input column j. CopyIn gathers the column with one strided DataCopyPad
(`rows` rows of one element, `cols - 1` elements apart in GM); in UB each element starts its
own 32-byte block. CopyOut writes them back densely with one DataCopyPad whose UB rows are
32 bytes apart and whose GM rows touch. Columns are split over the blocks; two buffers let
the gather of column j + 1 overlap the write of column j.

Differences: the model charges a transfer by its bytes, not by its element-sized bursts, so
this is optimistic next to hardware, where a vector Transpose of 16 x 16 tiles would win.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from cudalike import cann
from cudalike.cann import (
    DataCopyExtParams,
    DataCopyPad,
    GetBlockIdx,
    GlobalTensor,
    TPipe,
    TPosition,
    TQue,
)

ALIGN = 32
UB_BUDGET = 180 * 1024


@dataclasses.dataclass
class TransposeTilingData:
    """Attributes: rows and cols of x; colsPerBlock columns per block; bufferNum buffers."""

    rows: int
    cols: int
    colsPerBlock: int
    bufferNum: int = 2


class KernelTranspose:
    def Init(self, x, y, tiling: TransposeTilingData, dtype):
        self.dtype = np.dtype(dtype)
        self.rows, self.cols = tiling.rows, tiling.cols
        self.firstCol = tiling.colsPerBlock * GetBlockIdx()
        self.colCount = min(tiling.colsPerBlock, tiling.cols - self.firstCol)
        self.xGm = GlobalTensor(dtype)
        self.xGm.SetGlobalBuffer(x.cast(dtype), self.rows * self.cols)
        self.yGm = GlobalTensor(dtype)
        self.yGm.SetGlobalBuffer(
            y.cast(dtype) + self.firstCol * self.rows, self.colCount * self.rows
        )
        self.pipe = TPipe()
        self.queue = TQue(TPosition.VECIN, tiling.bufferNum)
        self.pipe.InitBuffer(self.queue, tiling.bufferNum, self.rows * ALIGN)

    def Process(self):
        for j in range(self.colCount):
            self.CopyIn(j)
            self.CopyOut(j)

    def CopyIn(self, j):
        local = self.queue.AllocTensor(self.dtype)
        size = self.dtype.itemsize
        column = DataCopyExtParams(self.rows, size, (self.cols - 1) * size, 0, 0)
        DataCopyPad(local, self.xGm[self.firstCol + j], column)
        self.queue.EnQue(local)

    def CopyOut(self, j):
        local = self.queue.DeQue(self.dtype)
        dense = DataCopyExtParams(self.rows, self.dtype.itemsize, 0, 0, 0)
        DataCopyPad(self.yGm[j * self.rows], local, dense)
        self.queue.FreeTensor(local)


@cann.kernel
def transpose_custom(x, y, tiling):
    op = KernelTranspose()
    op.Init(x, y, tiling, x.dtype)
    op.Process()


def transpose_tiling(
    rows: int, cols: int, num_blocks: int, buffer_num: int = 2
) -> tuple[int, TransposeTilingData]:
    """Host tiling: columns split over blocks. Raises ValueError if a column overflows UB."""
    if buffer_num * rows * ALIGN > UB_BUDGET:
        raise ValueError(f"{rows} rows need {buffer_num * rows * ALIGN} bytes of UB per column")
    per_block = -(-cols // num_blocks)
    blocks = -(-cols // per_block)
    return blocks, TransposeTilingData(rows, cols, per_block, buffer_num)


def transpose(x: np.ndarray, num_blocks: int = 8, buffer_num: int = 2) -> np.ndarray:
    """x.T of a 2-D array (any dtype the copies move: the bytes are not converted).

    Example:
        >>> transpose(np.arange(6, dtype=np.float16).reshape(2, 3))[0]
        array([0., 3.], dtype=float16)
    """
    x = np.ascontiguousarray(x)
    rows, cols = x.shape
    y = np.empty((cols, rows), x.dtype)
    if y.size == 0:
        return y
    blocks, tiling = transpose_tiling(rows, cols, num_blocks, buffer_num)
    transpose_custom[blocks](x, y, tiling)
    return y
