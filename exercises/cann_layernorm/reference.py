"""Reference for cann_layernorm: the library's LayerNorm (one row per tile, half widened to
float in UB, the mean and the biased variance of the centred row by ReduceSum, rstd on the
scalar unit, Muls, Mul by gamma, Add of beta, narrowed back), and its row tiling."""

from cudalike.cann.kernels._rowwise import RowTilingData, row_tiling
from cudalike.cann.kernels.layernorm import KernelLayerNorm, layernorm_custom

__all__ = ["RowTilingData", "layernorm_custom", "layernorm_tiling"]


def layernorm_tiling(rows: int, cols: int, num_blocks: int) -> tuple[int, RowTilingData]:
    """Rows split over `num_blocks` cores, a whole row out per row, two buffers per queue."""
    return row_tiling(rows, cols, cols, num_blocks, 2, KernelLayerNorm.floatRows)
