"""The loop steps by cuda.blockDim.x, not the whole grid: blocks redo each other's elements."""

# expect: cuda.gridsize(1)
from numba import cuda


@cuda.jit
def saxpy_grid_stride(a, x, y, out):
    start = cuda.grid(1)
    for i in range(start, out.size, cuda.blockDim.x):
        out[i] = a * x[i] + y[i]
