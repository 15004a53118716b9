"""Reference for cann_rmsnorm: the library's RMSNorm (one row per tile, half widened to float
in UB, Mul and ReduceSum for the mean square, rstd on the scalar unit, Muls and Mul by gamma,
narrowed back), and its row tiling."""

from cudalike.cann.kernels._rowwise import RowTilingData, row_tiling
from cudalike.cann.kernels.rmsnorm import KernelRmsNorm, rmsnorm_custom

__all__ = ["RowTilingData", "rmsnorm_custom", "rmsnorm_tiling"]


def rmsnorm_tiling(rows: int, cols: int, num_blocks: int) -> tuple[int, RowTilingData]:
    """Rows split over `num_blocks` cores, a whole row out per row, two buffers per queue."""
    return row_tiling(rows, cols, cols, num_blocks, 2, KernelRmsNorm.floatRows)
