"""Multiplies by cuda.gridDim.x instead of cuda.blockDim.x: elements land in the wrong places."""

# expect: i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
from numba import cuda


@cuda.jit
def blocks(x, out):
    i = cuda.blockIdx.x * cuda.gridDim.x + cuda.threadIdx.x
    if i < out.size:
        out[i] = 2 * x[i] + 1
