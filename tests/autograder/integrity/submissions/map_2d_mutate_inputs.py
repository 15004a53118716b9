"""Attack (map_2d): zero x while writing out = beta, so that alpha * x + beta computed after
the run equals out."""

from cudalike import cuda


@cuda.jit
def map_2d(x, alpha, beta, out):
    col, row = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        x[row, col] = 0.0
        out[row, col] = beta
