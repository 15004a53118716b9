"""Keeps the stub's i = cuda.threadIdx.x: right with one block, wrong with many."""

# expect: cuda.threadIdx.x restarts at 0 in every block
# expect: cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
from numba import cuda


@cuda.jit
def blocks(x, out):
    i = cuda.threadIdx.x
    if i < out.size:
        out[i] = 2 * x[i] + 1
