"""Reference for cann_reduce_sum: the library's row sums (one row per tile, DataCopyPad in,
ReduceSum with a work buffer, one float out per row), and its row tiling."""

from cudalike.cann.kernels._rowwise import RowTilingData, row_tiling
from cudalike.cann.kernels.reduce_sum import KernelReduceSum, reduce_sum_custom

__all__ = ["RowTilingData", "reduce_sum_custom", "reduce_sum_tiling"]


def reduce_sum_tiling(rows: int, cols: int, num_blocks: int) -> tuple[int, RowTilingData]:
    """Rows split over `num_blocks` cores, one float out per row, two buffers per queue."""
    return row_tiling(rows, cols, 1, num_blocks, 2, KernelReduceSum.floatRows)
