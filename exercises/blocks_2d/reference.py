"""Reference for blocks_2d: cuda.grid(2), both dimensions guarded, the row factor."""

from cudalike import cuda


@cuda.jit
def blocks_2d(x, out):
    col, row = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        out[row, col] = x[row, col] * (row + 1)
