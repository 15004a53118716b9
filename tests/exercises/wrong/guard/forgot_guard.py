"""No guard: 1024 threads for at most 1000 elements, so some read and write past the end."""

# expect: put the work inside if i < out.size
from numba import cuda


@cuda.jit
def guard(x, out):
    i = cuda.grid(1)
    out[i] = x[i] * x[i]
