"""row, col = cuda.grid(2): x is taken as the row axis, so the threads miss part of the matrix."""

# expect: the grid's x axis runs along the columns
from numba import cuda


@cuda.jit
def blocks_2d(x, out):
    row, col = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        out[row, col] = x[row, col] * (row + 1)
