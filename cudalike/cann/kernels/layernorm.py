"""layernorm: each row of x becomes (x - mean) / sqrt(var + eps) * gamma + beta."""

from __future__ import annotations

import numpy as np

from cudalike import cann
from cudalike.cann import Add, Adds, Mul, Muls, ReduceSum
from cudalike.cann.kernels._params import load_row_params
from cudalike.cann.kernels._rowwise import RowKernel, run_rowwise


class KernelLayerNorm(RowKernel):
    floatRows = 5  # x, y, work, gamma, beta

    def InitParams(self, gamma, beta, eps):
        self.eps = np.float32(eps)
        self.gamma, self.beta = load_row_params(self, [gamma, beta], 3)

    def ComputeRow(self, yFloat, xFloat):
        work, scalar = self.Scratch(2), self.scalarBuf.Get(cann.float32)
        n = self.cols
        ReduceSum(scalar, xFloat, work, n)
        mean = self.ScalarOf(scalar) / np.float32(n)
        Adds(xFloat, xFloat, -mean, n)  # centred in place: x - mean
        Mul(yFloat, xFloat, xFloat, n)
        ReduceSum(scalar, yFloat, work, n)
        variance = self.ScalarOf(scalar) / np.float32(n)
        rstd = np.float32(1) / np.sqrt(variance + self.eps)
        Muls(yFloat, xFloat, rstd, n)
        Mul(yFloat, yFloat, self.gamma, n)
        Add(yFloat, yFloat, self.beta, n)


@cann.kernel
def layernorm_custom(x, y, tiling, gamma, beta, eps):
    op = KernelLayerNorm()
    op.Init(x, y, tiling, x.dtype)
    op.InitParams(gamma, beta, eps)
    op.Process()


def layernorm(
    x: np.ndarray,
    gamma: np.ndarray,
    beta: np.ndarray,
    eps: float = 1e-5,
    num_blocks: int = 8,
    buffer_num: int = 2,
) -> np.ndarray:
    """Layer normalisation over the last axis of a 2-D x (biased variance, as torch's).

    Example:
        >>> layernorm(np.array([[1, 3]] * 1, np.float32), np.ones(2, np.float32),
        ...           np.zeros(2, np.float32)).round(3)
        array([[-1.,  1.]], dtype=float32)
    """
    gamma = np.ascontiguousarray(gamma, x.dtype)
    beta = np.ascontiguousarray(beta, x.dtype)
    return run_rowwise(
        layernorm_custom,
        x,
        0,
        num_blocks,
        buffer_num,
        KernelLayerNorm.floatRows,
        gamma,
        beta,
        eps,
    )
