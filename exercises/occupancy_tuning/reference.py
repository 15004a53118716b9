"""Reference for occupancy_tuning: a 3-point sum through a shared tile sized to what a block reads
(its 128 elements and one on each side), so that shared memory never limits resident blocks."""

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
        tile[k] = x[j] if 0 <= j < n else float32(0)
    cuda.syncthreads()
    i = cuda.blockIdx.x * THREADS + t
    if i < n:
        total = float32(0)
        for d in range(2 * RADIUS + 1):
            total += tile[t + d]
        out[i] = total
