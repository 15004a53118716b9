"""Adds the shared counters to out without a cuda.syncthreads() after counting."""
# expect: again before adding them to out

from numba import cuda, int32


@cuda.jit
def histogram(x, out):
    counts = cuda.shared.array(256, int32)
    t = cuda.threadIdx.x
    counts[t] = 0
    cuda.syncthreads()
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        cuda.atomic.add(counts, x[i], 1)
    cuda.atomic.add(out, t, counts[t])
