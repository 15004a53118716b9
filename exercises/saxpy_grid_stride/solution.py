"""Instructor solution for saxpy_grid_stride: a while loop, the stride from gridDim and blockDim."""

from cudalike import cuda


@cuda.jit
def saxpy_grid_stride(a, x, y, out):
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    stride = cuda.gridDim.x * cuda.blockDim.x
    n = x.shape[0]
    while i < n:
        out[i] = y[i] + a * x[i]
        i += stride
