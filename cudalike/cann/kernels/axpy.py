"""axpy: out = a * x + y (BLAS's axpy, out of place), with a scalar a from the host."""

from __future__ import annotations

import numpy as np

from cudalike import cann
from cudalike.cann import Add, Muls
from cudalike.cann.kernels._elementwise import ElementwiseKernel, run_elementwise


class KernelAxpy(ElementwiseKernel):
    def Compute(self, outLocal, inLocals, length):
        xLocal, yLocal = inLocals
        Muls(outLocal, xLocal, self.alpha, length)  # two instructions: a * x, then + y
        Add(outLocal, outLocal, yLocal, length)


@cann.kernel
def axpy_custom(x, y, out, tiling, alpha):
    op = KernelAxpy()
    op.alpha = alpha
    op.Init([x, y], out, tiling, [x.dtype, y.dtype], out.dtype)
    op.Process()


def axpy(
    alpha: float,
    x: np.ndarray,
    y: np.ndarray,
    num_blocks: int = 8,
    tile_length: int = 2048,
    buffer_num: int = 2,
) -> np.ndarray:
    """alpha * x + y, each step rounded to the operands' type (alpha too).

    Example:
        >>> axpy(2.0, np.ones(16, np.float32), np.ones(16, np.float32))[0]
        3.0
    """
    return run_elementwise(axpy_custom, [x, y], x.dtype, num_blocks, tile_length, buffer_num, alpha)
