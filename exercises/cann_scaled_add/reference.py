"""Reference for cann_scaled_add: z = alpha * x + y on float16, double buffered (bufferNum = 2),
on the library's element-wise skeleton, and its tiling."""

from cudalike import cann
from cudalike.cann import Add, Muls
from cudalike.cann.kernels._elementwise import (
    ElementwiseKernel,
    ElementwiseTilingData,
    elementwise_tiling,
)

__all__ = ["ElementwiseTilingData", "scaled_add_custom", "scaled_add_tiling"]


class KernelScaledAdd(ElementwiseKernel):
    def Compute(self, zLocal, inLocals, length):
        xLocal, yLocal = inLocals
        Muls(zLocal, xLocal, self.alpha, length)
        Add(zLocal, zLocal, yLocal, length)


@cann.kernel
def scaled_add_custom(x, y, z, alpha, tiling):
    op = KernelScaledAdd()
    op.alpha = alpha
    op.Init([x, y], z, tiling, [cann.half, cann.half], cann.half)
    op.Process()


def scaled_add_tiling(
    n: int, num_blocks: int, tile_length: int
) -> tuple[int, ElementwiseTilingData]:
    """Shares of a multiple of 16 halves (32 bytes) per core, tiles of `tile_length` halves,
    two buffers per queue."""
    return elementwise_tiling(n, num_blocks, tile_length, 2, 2)
