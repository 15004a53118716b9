"""softmax: each row of a 2-D x becomes exp(x - max) / sum(exp(x - max)), stable for any x."""

from __future__ import annotations

import numpy as np

from cudalike import cann
from cudalike.cann import Adds, Exp, Muls, ReduceMax, ReduceSum
from cudalike.cann.kernels._rowwise import RowKernel, run_rowwise


class KernelSoftmax(RowKernel):
    floatRows = 3  # x, y, work

    def ComputeRow(self, yFloat, xFloat):
        work, scalar = self.Scratch(2), self.scalarBuf.Get(cann.float32)
        ReduceMax(scalar, xFloat, work, self.cols)
        rowMax = self.ScalarOf(scalar)
        Adds(yFloat, xFloat, -rowMax, self.cols)  # x - max <= 0: exp cannot overflow
        Exp(yFloat, yFloat, self.cols)
        ReduceSum(scalar, yFloat, work, self.cols)
        rowSum = self.ScalarOf(scalar)
        Muls(yFloat, yFloat, np.float32(1) / rowSum, self.cols)  # one divide, on the scalar unit


@cann.kernel
def softmax_custom(x, y, tiling):
    op = KernelSoftmax()
    op.Init(x, y, tiling, x.dtype)
    op.Process()


def softmax(x: np.ndarray, num_blocks: int = 8, buffer_num: int = 2) -> np.ndarray:
    """Row-wise softmax of a 2-D float16 or float32 x (computed in float).

    Example:
        >>> softmax(np.zeros((1, 4), np.float32))
        array([[0.25, 0.25, 0.25, 0.25]], dtype=float32)
    """
    return run_rowwise(softmax_custom, x, 0, num_blocks, buffer_num, KernelSoftmax.floatRows)
