"""Uses cuda.threadIdx.x as the element: every block writes the first 256 elements."""

# expect: not cuda.threadIdx.x
from numba import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.threadIdx.x
    if i < out.size:
        out[i] = a[i] + b[i]
