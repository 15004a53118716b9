"""Correct but slow: a long chain of redundant arithmetic on every element."""

from cudalike import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        x = a[i] + b[i]
        for _ in range(5000):
            x = x * 1.0
        out[i] = x
