"""Reference for saxpy_grid_stride: a grid-stride loop, coalesced in every round."""

from cudalike import cuda


@cuda.jit
def saxpy_grid_stride(a, x, y, out):
    start = cuda.grid(1)
    stride = cuda.gridsize(1)
    for i in range(start, out.size, stride):
        out[i] = a * x[i] + y[i]
