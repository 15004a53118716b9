"""Correct but slow: each thread takes its own run of neighbouring elements."""

# expect: the report says L2 bandwidth
# expect: Step by the whole grid instead
from numba import cuda


@cuda.jit
def saxpy(a, x, y, out):
    n = out.size
    per_thread = (n + cuda.gridsize(1) - 1) // cuda.gridsize(1)
    start = cuda.grid(1) * per_thread
    for i in range(start, min(start + per_thread, n)):
        out[i] = a * x[i] + y[i]
