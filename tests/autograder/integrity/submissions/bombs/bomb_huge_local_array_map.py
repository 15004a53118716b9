"""Attack: `cuda.local.array((1 << 20, 1 << 20), float32)` and `cuda.shared.array(1 << 31, float32)` in map_2d.
A successful attack exhausts the grader's memory instead of a MemoryError result.
"""
# exercise: map_2d
# category: bombs
import numpy as np

from cudalike import cuda


@cuda.jit
def map_2d(x, alpha, beta, out):
    col, row = cuda.grid(2)
    scratch = cuda.local.array((1 << 20, 1 << 20), np.float32)
    tile = cuda.shared.array(1 << 31, np.float32)
    if row < out.shape[0] and col < out.shape[1]:
        scratch[0, 0] = x[row, col]
        out[row, col] = alpha * scratch[0, 0] + beta
