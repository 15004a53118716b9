"""The halo load of block 0 reads x[-1]: the guard checks only the upper end."""

# expect: do not exist: load 0 for them
from numba import float32

from cudalike import cuda

THREADS = 128
RADIUS = 1


@cuda.jit
def box_sum(x, out):
    tile = cuda.shared.array(THREADS + 2 * RADIUS, float32)
    t = cuda.threadIdx.x
    start = cuda.blockIdx.x * THREADS - RADIUS  # x index of tile[0]
    n = x.size
    for k in range(t, THREADS + 2 * RADIUS, THREADS):
        j = start + k
        tile[k] = x[j] if j < n else float32(0)
    cuda.syncthreads()
    i = cuda.blockIdx.x * THREADS + t
    if i < n:
        total = float32(0)
        for d in range(2 * RADIUS + 1):
            total += tile[t + d]
        out[i] = total
