"""Counts with out[v] += 1 instead of an atomic: two threads lose each other's update."""
# expect: never with out[value] += 1

from numba import cuda


@cuda.jit
def histogram(x, out):
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        out[x[i]] += 1
