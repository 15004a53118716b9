"""row, col = cuda.grid(2): the x axis is taken as the row, so part of the matrix is missed."""

# expect: col, row = cuda.grid(2), in that order
from numba import cuda


@cuda.jit
def map_2d(x, alpha, beta, out):
    row, col = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        out[row, col] = alpha * x[row, col] + beta
