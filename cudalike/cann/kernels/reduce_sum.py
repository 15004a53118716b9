"""reduce_sum: y[r] = sum of row r of a 2-D x, one row per tile, in float."""

from __future__ import annotations

import numpy as np

from cudalike import cann
from cudalike.cann import ReduceSum
from cudalike.cann.kernels._rowwise import RowKernel, run_rowwise


class KernelReduceSum(RowKernel):
    floatRows = 3  # x, y, and the work buffer ReduceSum needs

    def ComputeRow(self, yFloat, xFloat):
        ReduceSum(yFloat, xFloat, self.Scratch(2), self.cols)


@cann.kernel
def reduce_sum_custom(x, y, tiling):
    op = KernelReduceSum()
    op.Init(x, y, tiling, x.dtype)
    op.Process()


def reduce_sum(x: np.ndarray, num_blocks: int = 8, buffer_num: int = 2) -> np.ndarray:
    """Row sums of a 2-D x, shape (rows,); halves are summed in float and rounded once.

    Example:
        >>> reduce_sum(np.ones((3, 5), np.float32))
        array([5., 5., 5.], dtype=float32)
    """
    y = run_rowwise(reduce_sum_custom, x, 1, num_blocks, buffer_num, KernelReduceSum.floatRows)
    return y.reshape(-1)
