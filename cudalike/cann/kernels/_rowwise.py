"""The row-wise kernel skeleton shared by reduce_sum, softmax, layernorm and rmsnorm.

A 2-D input of `rows x cols` is split by rows over the blocks; each block walks its rows one
row per tile: CopyIn (DataCopyPad of one row, any length, GM -> UB), Compute, CopyOut
(DataCopyPad back). Halves are widened to float in UB (Cast), computed in float and narrowed
on the way out, as production kernels do for accuracy. Scalars a row reduces to (a max, a
sum) are read on the scalar unit after a V -> S flag, then fed back as instruction operands.
Subclasses write `ComputeRow(yFloat, xFloat)`.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from cudalike.cann import (
    Cast,
    DataCopyExtParams,
    DataCopyPad,
    GetBlockIdx,
    GlobalTensor,
    HardEvent,
    RoundMode,
    SetFlag,
    TBuf,
    TPipe,
    TPosition,
    TQue,
    WaitFlag,
    float32,
)

ALIGN = 32
UB_BUDGET = 180 * 1024  # bytes of UB the tiling plans for (192 KB less a margin)


@dataclasses.dataclass
class RowTilingData:
    """What the host tells every block of a row-wise kernel.

    Attributes:
        rows: rows of the input.
        cols: elements per row.
        outCols: elements per output row (cols, or 1 for a reduction).
        rowsPerBlock: rows each block takes (the last block may take fewer).
        colsAligned: cols rounded up to 32 bytes of float, the UB row length.
        bufferNum: buffers per queue.
    """

    rows: int
    cols: int
    outCols: int
    rowsPerBlock: int
    colsAligned: int
    bufferNum: int = 2


def row_tiling(
    rows: int, cols: int, out_cols: int, num_blocks: int, buffer_num: int, float_rows: int
) -> tuple[int, RowTilingData]:
    """Host tiling: (numBlocks used, tiling); `float_rows` float rows of scratch per kernel.

    Raises:
        ValueError: a row too long to fit in UB with its queues and scratch.
    """
    cols_aligned = -(-cols // 8) * 8
    # queues hold up to 4-byte elements: 2 queues x bufferNum rows, plus the float scratch.
    need = (2 * buffer_num + float_rows) * cols_aligned * 4 + 4 * ALIGN
    if need > UB_BUDGET:
        raise ValueError(
            f"a row of {cols} elements needs {need} bytes of UB, more than {UB_BUDGET}: "
            "split the row (not supported by this reference kernel)"
        )
    per_block = -(-rows // num_blocks)
    blocks = -(-rows // per_block)
    return blocks, RowTilingData(rows, cols, out_cols, per_block, cols_aligned, buffer_num)


class RowKernel:
    """Init / Process / CopyIn / Compute / CopyOut, one row per tile, float compute."""

    floatRows = 2  # float scratch rows: x and y

    def Init(self, x, y, tiling: RowTilingData, dtype):
        self.dtype = np.dtype(dtype)
        self.cols, self.outCols = tiling.cols, tiling.outCols
        first = tiling.rowsPerBlock * GetBlockIdx()
        self.rowCount = min(tiling.rowsPerBlock, tiling.rows - first)
        self.xGm = GlobalTensor(dtype)
        self.xGm.SetGlobalBuffer(x.cast(dtype) + first * self.cols, self.rowCount * self.cols)
        self.yGm = GlobalTensor(dtype)
        self.yGm.SetGlobalBuffer(y.cast(dtype) + first * self.outCols, self.rowCount * self.outCols)
        self.pipe = TPipe()
        self.inQueue = TQue(TPosition.VECIN, tiling.bufferNum)
        self.outQueue = TQue(TPosition.VECOUT, tiling.bufferNum)
        rowBytes = tiling.colsAligned * self.dtype.itemsize
        self.pipe.InitBuffer(self.inQueue, tiling.bufferNum, rowBytes)
        self.pipe.InitBuffer(self.outQueue, tiling.bufferNum, rowBytes)
        self.calc = TBuf(TPosition.VECCALC)
        self.pipe.InitBuffer(self.calc, self.floatRows * tiling.colsAligned * 4)
        self.colsAligned = tiling.colsAligned
        self.scalarBuf = TBuf(TPosition.VECCALC)
        self.pipe.InitBuffer(self.scalarBuf, ALIGN)

    def Scratch(self, index: int):
        """Float scratch row `index` of the calc buffer."""
        start = index * self.colsAligned
        return self.calc.Get(float32)[start : start + self.colsAligned]

    def Process(self):
        for row in range(self.rowCount):
            self.CopyIn(row)
            self.Compute()
            self.CopyOut(row)

    def CopyIn(self, row):
        xLocal = self.inQueue.AllocTensor(self.dtype)
        params = DataCopyExtParams(1, self.cols * self.dtype.itemsize, 0, 0, 0)
        DataCopyPad(xLocal, self.xGm[row * self.cols], params)
        self.inQueue.EnQue(xLocal)

    def Compute(self):
        xLocal = self.inQueue.DeQue(self.dtype)
        yLocal = self.outQueue.AllocTensor(self.dtype)
        xFloat, yFloat = self.Scratch(0), self.Scratch(1)
        if self.dtype == np.float32:
            xFloat, yFloat = xLocal, yLocal  # compute in place of the queues' buffers
        else:
            Cast(xFloat, xLocal, RoundMode.CAST_NONE, self.cols)
        self.ComputeRow(yFloat, xFloat)
        if self.dtype != np.float32:
            Cast(yLocal, yFloat, RoundMode.CAST_RINT, self.outCols)
        self.outQueue.EnQue(yLocal)
        self.inQueue.FreeTensor(xLocal)

    def ComputeRow(self, yFloat, xFloat):
        raise NotImplementedError("a row-wise kernel defines ComputeRow")

    def ScalarOf(self, tensor) -> float:
        """tensor[0] read on the scalar unit, after the V pipe that wrote it is done."""
        SetFlag[HardEvent.V_S](0)
        WaitFlag[HardEvent.V_S](0)
        return np.float32(tensor.GetValue(0))

    def CopyOut(self, row):
        yLocal = self.outQueue.DeQue(self.dtype)
        params = DataCopyExtParams(1, self.outCols * self.dtype.itemsize, 0, 0, 0)
        DataCopyPad(self.yGm[row * self.outCols], yLocal, params)
        self.outQueue.FreeTensor(yLocal)


def run_rowwise(kernel, x, out_cols, num_blocks, buffer_num, float_rows, *extra):
    """Host side: tile a 2-D x by rows, launch, return the (rows, out_cols) result."""
    x = np.ascontiguousarray(x)
    if x.ndim != 2 or x.dtype not in (np.float16, np.float32):
        raise ValueError(f"expected a 2-D float16 or float32 array, got {x.dtype} {x.shape}")
    rows, cols = x.shape
    y = np.empty((rows, out_cols if out_cols else cols), x.dtype)
    if y.size == 0:
        return y
    blocks, tiling = row_tiling(rows, cols, y.shape[1], num_blocks, buffer_num, float_rows)
    kernel[blocks](x, y, tiling, *extra)
    return y
