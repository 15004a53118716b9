"""cast: y = fp16(x) for fp32 x, rounding to nearest even (CAST_RINT), saturating to inf."""

from __future__ import annotations

import numpy as np

from cudalike import cann
from cudalike.cann import Cast, RoundMode
from cudalike.cann.kernels._elementwise import ElementwiseKernel, run_elementwise


class KernelCast(ElementwiseKernel):
    def Compute(self, yLocal, inLocals, length):
        Cast(yLocal, inLocals[0], RoundMode.CAST_RINT, length)


@cann.kernel
def cast_custom(x, y, tiling):
    op = KernelCast()
    op.Init([x], y, tiling, [cann.float32], cann.half)
    op.Process()


def cast_fp32_to_fp16(
    x: np.ndarray, num_blocks: int = 8, tile_length: int = 4096, buffer_num: int = 2
) -> np.ndarray:
    """x (float32) rounded to float16; tiles are counted in elements (4 KB of halves here).

    Example:
        >>> cast_fp32_to_fp16(np.full(3, 1 / 3, np.float32))[0]
        np.float16(0.3333)
    """
    if x.dtype != np.float32:
        raise TypeError(f"cast_fp32_to_fp16 takes float32, got {x.dtype}")
    return run_elementwise(cast_custom, [x], np.float16, num_blocks, tile_length, buffer_num)
