"""The guard is i <= out.size: the thread at i == n reads and writes one past the end."""

# expect: a strict <
from numba import cuda


@cuda.jit
def guard(x, out):
    i = cuda.grid(1)
    if i <= out.size:
        out[i] = x[i] * x[i]
