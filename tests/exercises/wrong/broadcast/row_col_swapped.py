"""row, col = cuda.grid(2): the x axis is taken as the row, so part of out is never written."""

# expect: col, row = cuda.grid(2) (in that order)
from numba import cuda


@cuda.jit
def broadcast(a, b, out):
    row, col = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        out[row, col] = a[row] + b[col]
