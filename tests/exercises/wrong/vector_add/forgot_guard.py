"""No bounds guard: the threads of the last block of 256 past the end read a and b."""

# expect: put the work inside if i < out.size
from numba import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    out[i] = a[i] + b[i]
