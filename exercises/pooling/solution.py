"""Instructor solution for pooling: a small loop over the window, skipping indices before 0."""

from cudalike import cuda


@cuda.jit
def pooling(x, out):
    i = cuda.grid(1)
    if i >= x.size:
        return
    total = 0.0
    for j in range(max(i - 2, 0), i + 1):
        total += x[j]
    out[i] = total
