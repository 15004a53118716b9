"""Reference for cann_leaky_relu: y = x where x >= 0, negative_slope * x elsewhere, on float32.

For 0 <= negative_slope <= 1 that is max(x, negative_slope * x): Muls then Max, two vector
instructions on the library's element-wise skeleton (queues, double buffering, DataCopyPad
for ragged tails). Ascend C also has a LeakyRelu instruction that computes the same.
"""

from cudalike import cann
from cudalike.cann import Max, Muls
from cudalike.cann.kernels._elementwise import (
    ElementwiseKernel,
    ElementwiseTilingData,
    elementwise_tiling,
)

__all__ = ["ElementwiseTilingData", "leaky_relu_custom", "leaky_relu_tiling"]


class KernelLeakyRelu(ElementwiseKernel):
    def Compute(self, yLocal, inLocals, length):
        Muls(yLocal, inLocals[0], self.negativeSlope, length)
        Max(yLocal, inLocals[0], yLocal, length)


@cann.kernel
def leaky_relu_custom(x, y, negative_slope, tiling):
    op = KernelLeakyRelu()
    op.negativeSlope = negative_slope
    op.Init([x], y, tiling, [cann.float32], cann.float32)
    op.Process()


def leaky_relu_tiling(
    n: int, num_blocks: int, tile_length: int
) -> tuple[int, ElementwiseTilingData]:
    """Shares of a multiple of 8 floats (32 bytes) per core, double buffered."""
    return elementwise_tiling(n, num_blocks, tile_length, 2, 4)
