"""Counts into the shared bins with counts[v] += 1: threads of a block lose each other's updates."""
# expect: count with cuda.atomic.add(counts, v, 1) instead

from numba import cuda, int32


@cuda.jit
def histogram(x, out):
    counts = cuda.shared.array(256, int32)
    t = cuda.threadIdx.x
    counts[t] = 0
    cuda.syncthreads()
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        counts[x[i]] += 1
    cuda.syncthreads()
    cuda.atomic.add(out, t, counts[t])
