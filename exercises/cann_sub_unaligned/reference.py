"""Reference for cann_sub_unaligned: z = x - y on float32, the element-wise skeleton of the
library (whole 32-byte blocks with DataCopy, a ragged tail with DataCopyPad) and its tiling."""

from cudalike import cann
from cudalike.cann import Sub
from cudalike.cann.kernels._elementwise import (
    ElementwiseKernel,
    ElementwiseTilingData,
    elementwise_tiling,
)

__all__ = ["ElementwiseTilingData", "sub_custom", "sub_tiling"]


class KernelSub(ElementwiseKernel):
    def Compute(self, zLocal, inLocals, length):
        Sub(zLocal, inLocals[0], inLocals[1], length)


@cann.kernel
def sub_custom(x, y, z, tiling):
    op = KernelSub()
    op.Init([x, y], z, tiling, [cann.float32, cann.float32], cann.float32)
    op.Process()


def sub_tiling(n: int, num_blocks: int, tile_length: int) -> tuple[int, ElementwiseTilingData]:
    """Blocks of a multiple of 8 floats (32 bytes) each, the last one shorter; double buffered."""
    return elementwise_tiling(n, num_blocks, tile_length, 2, 4)
