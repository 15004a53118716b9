"""Reference for cann_axpy_tiled: the library's axpy (out = alpha * x + y) and its tiling."""

from cudalike.cann.kernels._elementwise import ElementwiseTilingData, elementwise_tiling
from cudalike.cann.kernels.axpy import axpy_custom

__all__ = ["ElementwiseTilingData", "axpy_custom", "axpy_tiling"]


def axpy_tiling(n: int, num_blocks: int, tile_length: int) -> tuple[int, ElementwiseTilingData]:
    """Blocks of a multiple of 8 floats (32 bytes) each, the last one shorter; double buffered."""
    return elementwise_tiling(n, num_blocks, tile_length, 2, 4)
