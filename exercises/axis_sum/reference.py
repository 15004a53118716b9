"""Reference for axis_sum: one thread per column, rows summed in a loop (coalesced reads)."""

from cudalike import cuda


@cuda.jit
def axis_sum(x, out):
    col = cuda.grid(1)
    if col < out.size:
        total = 0.0
        for row in range(x.shape[0]):
            total += x[row, col]
        out[col] = total
