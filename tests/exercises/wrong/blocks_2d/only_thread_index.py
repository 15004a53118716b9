"""Uses cuda.threadIdx only: every block writes the same 8 x 8 corner."""

# expect: add cuda.blockIdx times cuda.blockDim
from numba import cuda


@cuda.jit
def blocks_2d(x, out):
    col = cuda.threadIdx.x
    row = cuda.threadIdx.y
    if row < out.shape[0] and col < out.shape[1]:
        out[row, col] = x[row, col] * (row + 1)
