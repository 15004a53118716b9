"""Correct, but every count is a global atomic: the grid queues on 256 words of out."""
# expect: the profile is atomics bound
# expect: Privatise: count into a cuda.shared.array(256, int32) per block

from numba import cuda


@cuda.jit
def histogram(x, out):
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        cuda.atomic.add(out, x[i], 1)
