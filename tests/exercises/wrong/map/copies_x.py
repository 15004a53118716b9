"""Forgets the + 10: copies x into out."""

# expect: out[i] = x[i] + 10, reading x at the same index
from numba import cuda


@cuda.jit
def map(x, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = x[i]
