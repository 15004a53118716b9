"""The scalar a is left out: out = x + y."""

# expect: a * x[i] + y[i]
from numba import cuda


@cuda.jit
def saxpy_grid_stride(a, x, y, out):
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        out[i] = x[i] + y[i]
