"""Instructor solution for blocks: cuda.grid(1), which computes the same global index."""

from cudalike import cuda


@cuda.jit
def blocks(x, out):
    i = cuda.grid(1)
    if i < x.shape[0]:
        value = x[i]
        out[i] = value + value + 1
