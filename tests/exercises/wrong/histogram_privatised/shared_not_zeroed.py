"""Counts into a shared array that was never set to zero."""
# expect: Set all 256 counters to 0

from numba import cuda, int32


@cuda.jit
def histogram(x, out):
    counts = cuda.shared.array(256, int32)
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        cuda.atomic.add(counts, x[i], 1)
    cuda.syncthreads()
    t = cuda.threadIdx.x
    cuda.atomic.add(out, t, counts[t])
