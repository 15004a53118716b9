"""rmsnorm: each row of x becomes x / sqrt(mean(x^2) + eps) * gamma."""

from __future__ import annotations

import numpy as np

from cudalike import cann
from cudalike.cann import Mul, Muls, ReduceSum
from cudalike.cann.kernels._params import load_row_params
from cudalike.cann.kernels._rowwise import RowKernel, run_rowwise


class KernelRmsNorm(RowKernel):
    floatRows = 4  # x, y, work, gamma

    def InitParams(self, gamma, eps):
        self.eps = np.float32(eps)
        (self.gamma,) = load_row_params(self, [gamma], 3)

    def ComputeRow(self, yFloat, xFloat):
        work, scalar = self.Scratch(2), self.scalarBuf.Get(cann.float32)
        n = self.cols
        Mul(yFloat, xFloat, xFloat, n)
        ReduceSum(scalar, yFloat, work, n)
        meanSquare = self.ScalarOf(scalar) / np.float32(n)
        rstd = np.float32(1) / np.sqrt(meanSquare + self.eps)
        Muls(yFloat, xFloat, rstd, n)
        Mul(yFloat, yFloat, self.gamma, n)


@cann.kernel
def rmsnorm_custom(x, y, tiling, gamma, eps):
    op = KernelRmsNorm()
    op.Init(x, y, tiling, x.dtype)
    op.InitParams(gamma, eps)
    op.Process()


def rmsnorm(
    x: np.ndarray, gamma: np.ndarray, eps: float = 1e-6, num_blocks: int = 8, buffer_num: int = 2
) -> np.ndarray:
    """RMS normalisation over the last axis of a 2-D x.

    Example:
        >>> rmsnorm(np.full((1, 4), 2, np.float32), np.ones(4, np.float32), eps=0).round(3)
        array([[1., 1., 1., 1.]], dtype=float32)
    """
    gamma = np.ascontiguousarray(gamma, x.dtype)
    return run_rowwise(
        rmsnorm_custom, x, 0, num_blocks, buffer_num, KernelRmsNorm.floatRows, gamma, eps
    )
