"""Uses cuda.threadIdx.x as the element: every block writes the first 128 elements."""

# expect: use the global index i = cuda.grid(1)
from numba import cuda


@cuda.jit
def map(x, out):
    i = cuda.threadIdx.x
    if i < out.size:
        out[i] = x[i] + 10
