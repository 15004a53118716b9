"""Instructor solution for blocks_2d: the indices from blockIdx, blockDim and threadIdx."""

from cudalike import cuda


@cuda.jit
def blocks_2d(x, out):
    row = cuda.blockIdx.y * cuda.blockDim.y + cuda.threadIdx.y
    col = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    rows, cols = x.shape
    if row < rows and col < cols:
        factor = row + 1
        out[row, col] = factor * x[row, col]
