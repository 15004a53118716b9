"""Columns dealt out block-major (threadIdx * gridDim + blockIdx): right sums, uncoalesced reads."""

# expect: not coalesced
from numba import cuda


@cuda.jit
def axis_sum(x, out):
    col = cuda.threadIdx.x * cuda.gridDim.x + cuda.blockIdx.x
    if col < out.size:
        total = 0.0
        for row in range(x.shape[0]):
            total += x[row, col]
        out[col] = total
