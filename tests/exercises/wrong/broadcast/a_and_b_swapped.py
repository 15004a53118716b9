"""Indexes a with the column and b with the row: out of bounds on a matrix that is not square."""

# expect: index a with the row and b with the column
from numba import cuda


@cuda.jit
def broadcast(a, b, out):
    col, row = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        out[row, col] = a[col] + b[row]
