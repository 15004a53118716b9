"""Reference for broadcast: cuda.grid(2), one element per thread, columns along x."""

from cudalike import cuda


@cuda.jit
def broadcast(a, b, out):
    col, row = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        out[row, col] = a[row] + b[col]
