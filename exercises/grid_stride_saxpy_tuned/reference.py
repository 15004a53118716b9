"""Reference for grid_stride_saxpy_tuned: a grid-stride loop on a grid of 8 blocks per SM, so each
round of the loop is one coalesced sweep of the whole grid over neighbouring elements."""

from cudalike import cuda


@cuda.jit
def saxpy(a, x, y, out):
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        out[i] = a * x[i] + y[i]
