"""One element per thread and no loop: the fixed grid of 1024 threads leaves the rest unwritten."""

# expect: loop over the elements
# expect: cuda.gridsize(1)
from numba import cuda


@cuda.jit
def saxpy_grid_stride(a, x, y, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a * x[i] + y[i]
