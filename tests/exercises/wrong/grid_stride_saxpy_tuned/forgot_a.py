"""The scalar a is left out: out = x + y."""

# expect: out[i] = a * x[i] + y[i]
from numba import cuda


@cuda.jit
def saxpy(a, x, y, out):
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        out[i] = x[i] + y[i]
