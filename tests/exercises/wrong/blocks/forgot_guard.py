"""The global index is right, but the last block of 32 runs past the end unguarded."""

# expect: the last block of 32 may stick out
from numba import cuda


@cuda.jit
def blocks(x, out):
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    out[i] = 2 * x[i] + 1
