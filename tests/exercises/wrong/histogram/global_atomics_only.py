"""Correct, but every count is an atomic straight into out: slow under contention."""
# expect: Count into a shared-memory array first

from numba import cuda


@cuda.jit
def histogram(x, out):
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        cuda.atomic.add(out, x[i], 1)
