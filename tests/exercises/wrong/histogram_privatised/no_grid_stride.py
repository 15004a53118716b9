"""Counts one value per thread, as if the grid covered x: most of x is never counted."""
# expect: step by cuda.gridsize(1)

from numba import cuda, int32


@cuda.jit
def histogram(x, out):
    counts = cuda.shared.array(256, int32)
    t = cuda.threadIdx.x
    counts[t] = 0
    cuda.syncthreads()
    i = cuda.grid(1)
    if i < x.size:
        cuda.atomic.add(counts, x[i], 1)
    cuda.syncthreads()
    cuda.atomic.add(out, t, counts[t])
