"""silu (swish): y = x * sigmoid(x) = x / (1 + exp(-x)), in four vector instructions."""

from __future__ import annotations

import numpy as np

from cudalike import cann
from cudalike.cann import Adds, Div, Exp, Muls
from cudalike.cann.kernels._elementwise import ElementwiseKernel, run_elementwise


class KernelSilu(ElementwiseKernel):
    def Compute(self, yLocal, inLocals, length):
        xLocal = inLocals[0]
        Muls(yLocal, xLocal, -1.0, length)  # -x
        Exp(yLocal, yLocal, length)  # exp(-x): inf for very negative x, and x / inf = -0
        Adds(yLocal, yLocal, 1.0, length)  # 1 + exp(-x)
        Div(yLocal, xLocal, yLocal, length)  # x / (1 + exp(-x))


@cann.kernel
def silu_custom(x, y, tiling):
    op = KernelSilu()
    op.Init([x], y, tiling, [x.dtype], y.dtype)
    op.Process()


def silu(
    x: np.ndarray, num_blocks: int = 8, tile_length: int = 4096, buffer_num: int = 2
) -> np.ndarray:
    """x / (1 + exp(-x)), every step rounded to x's type.

    Example:
        >>> float(silu(np.zeros(8, np.float32))[0])
        0.0
    """
    return run_elementwise(silu_custom, [x], x.dtype, num_blocks, tile_length, buffer_num)
