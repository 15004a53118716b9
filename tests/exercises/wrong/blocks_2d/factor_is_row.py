"""Multiplies by row instead of row + 1: the first row comes out as zeros."""

# expect: a factor of row instead of row + 1
from numba import cuda


@cuda.jit
def blocks_2d(x, out):
    col, row = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        out[row, col] = x[row, col] * row
