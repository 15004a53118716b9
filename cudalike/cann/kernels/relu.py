"""relu: y = max(x, 0) element-wise."""

from __future__ import annotations

import numpy as np

from cudalike import cann
from cudalike.cann import Relu
from cudalike.cann.kernels._elementwise import ElementwiseKernel, run_elementwise


class KernelRelu(ElementwiseKernel):
    def Compute(self, yLocal, inLocals, length):
        Relu(yLocal, inLocals[0], length)


@cann.kernel
def relu_custom(x, y, tiling):
    op = KernelRelu()
    op.Init([x], y, tiling, [x.dtype], y.dtype)
    op.Process()


def relu(
    x: np.ndarray, num_blocks: int = 8, tile_length: int = 4096, buffer_num: int = 2
) -> np.ndarray:
    """max(x, 0).

    Example:
        >>> relu(np.array([-1, 2] * 8, np.float16))[:2]
        array([0., 2.], dtype=float16)
    """
    return run_elementwise(relu_custom, [x], x.dtype, num_blocks, tile_length, buffer_num)
