"""Reference for cann_gelu: GELU, tanh approximation, on float32, from vector instructions.

0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))) equals
x / (1 + exp(-sqrt(8 / pi) * (x + 0.044715 * x^3))), the form the vendor's Gelu sample computes
(Ascend samples, operator/ascendc/0_introduction/.../Gelu; formula of hicann/ops-nn
activation/gelu/README.md). Seven instructions per tile, the output buffer as the scratch:
x * x, scaled, shifted, times x, Exp, + 1, x divided by it.
"""

import math

from cudalike import cann
from cudalike.cann import Adds, Div, Exp, Mul, Muls
from cudalike.cann.kernels._elementwise import (
    ElementwiseKernel,
    ElementwiseTilingData,
    elementwise_tiling,
)

__all__ = ["ElementwiseTilingData", "gelu_custom", "gelu_tiling"]

SQRT_8_OVER_PI = math.sqrt(8 / math.pi)
CUBIC = 0.044715


class KernelGelu(ElementwiseKernel):
    def Compute(self, yLocal, inLocals, length):
        xLocal = inLocals[0]
        Mul(yLocal, xLocal, xLocal, length)  # x^2
        Muls(yLocal, yLocal, -SQRT_8_OVER_PI * CUBIC, length)
        Adds(yLocal, yLocal, -SQRT_8_OVER_PI, length)
        Mul(yLocal, yLocal, xLocal, length)  # -sqrt(8/pi) * (x + 0.044715 x^3)
        Exp(yLocal, yLocal, length)
        Adds(yLocal, yLocal, 1.0, length)
        Div(yLocal, xLocal, yLocal, length)


@cann.kernel
def gelu_custom(x, y, tiling):
    op = KernelGelu()
    op.Init([x], y, tiling, [cann.float32], cann.float32)
    op.Process()


def gelu_tiling(n: int, num_blocks: int, tile_length: int) -> tuple[int, ElementwiseTilingData]:
    """Shares of a multiple of 8 floats (32 bytes) per core, double buffered."""
    return elementwise_tiling(n, num_blocks, tile_length, 2, 4)
