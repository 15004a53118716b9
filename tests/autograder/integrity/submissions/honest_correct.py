"""Not an attack: a correct vector_add, graded in the batch to show nothing leaked into it."""

from cudalike import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i] + b[i]
