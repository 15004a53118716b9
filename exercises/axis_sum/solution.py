"""Instructor solution for axis_sum: an early return, and the rows walked with a while loop."""

from cudalike import cuda


@cuda.jit
def axis_sum(x, out):
    col = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    rows, cols = x.shape
    if col >= cols:
        return
    total = 0.0
    row = 0
    while row < rows:
        total += x[row, col]
        row += 1
    out[col] = total
