"""Guards the rows only: threads past the last column read and write out of bounds."""

# expect: guard both directions
from numba import cuda


@cuda.jit
def blocks_2d(x, out):
    col, row = cuda.grid(2)
    if row < out.shape[0]:
        out[row, col] = x[row, col] * (row + 1)
