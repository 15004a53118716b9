"""Reads b one element ahead of a: out[i] = a[i] + b[i + 1]."""

# expect: reading a and b at the same index i it writes
from numba import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i + 1 < out.size:
        out[i] = a[i] + b[i + 1]
    elif i < out.size:
        out[i] = a[i]
