"""Reference for cann_softmax_rows: the library's row softmax (one row per tile, half widened
to float in UB, ReduceMax, Adds, Exp, ReduceSum, Muls by the reciprocal, narrowed back), and
its row tiling."""

from cudalike.cann.kernels._rowwise import RowTilingData, row_tiling
from cudalike.cann.kernels.softmax import KernelSoftmax, softmax_custom

__all__ = ["RowTilingData", "softmax_custom", "softmax_tiling"]


def softmax_tiling(rows: int, cols: int, num_blocks: int) -> tuple[int, RowTilingData]:
    """Rows split over `num_blocks` cores, a whole row out per row, two buffers per queue."""
    return row_tiling(rows, cols, cols, num_blocks, 2, KernelSoftmax.floatRows)
