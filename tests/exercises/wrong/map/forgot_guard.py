"""No bounds guard: the threads of the last block past the end read x and write out."""

# expect: put the work inside if i < out.size
from numba import cuda


@cuda.jit
def map(x, out):
    i = cuda.grid(1)
    out[i] = x[i] + 10
