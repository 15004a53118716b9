"""Reference for cann_port_saxpy: out = a * x + y on float32, the library's axpy (a share of
whole 32-byte blocks per core, tiles double buffered, DataCopyPad for a ragged tail), and its
tiling over the 48 vector cores."""

from cudalike import cann
from cudalike.cann.kernels._elementwise import ElementwiseTilingData, elementwise_tiling
from cudalike.cann.kernels.axpy import KernelAxpy

__all__ = ["ElementwiseTilingData", "saxpy_custom", "saxpy_tiling"]


@cann.kernel
def saxpy_custom(a, x, y, out, tiling):
    op = KernelAxpy()
    op.alpha = a
    op.Init([x, y], out, tiling, [cann.float32, cann.float32], cann.float32)
    op.Process()


def saxpy_tiling(n: int, num_cores: int, tile_length: int) -> tuple[int, ElementwiseTilingData]:
    """Shares of a multiple of 8 floats (32 bytes) per core, tiles of `tile_length` floats,
    two buffers per queue."""
    return elementwise_tiling(n, num_cores, tile_length, 2, 4)
