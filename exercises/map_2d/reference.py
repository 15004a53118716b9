"""Reference for map_2d: cuda.grid(2), both dimensions guarded, row-major indexing."""

from cudalike import cuda


@cuda.jit
def map_2d(x, alpha, beta, out):
    col, row = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        out[row, col] = alpha * x[row, col] + beta
