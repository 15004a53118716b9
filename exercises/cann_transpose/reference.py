"""Reference for cann_transpose: the library's transpose (strided DataCopyPad gathers a column
of x into UB, one element per 32-byte block, and writes it back densely as a row of y)."""

from cudalike.cann.kernels.transpose import TransposeTilingData, transpose_custom, transpose_tiling

__all__ = ["TransposeTilingData", "transpose_custom", "transpose_tiling"]
