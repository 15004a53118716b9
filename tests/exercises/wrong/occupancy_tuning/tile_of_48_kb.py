"""Correct but slow: a 48 KB tile, so only 4 blocks of 4 warps fit on an SM (25% occupancy)."""

# expect: launch__occupancy_limit_shared_mem
# expect: Declare the tile with the 130 floats the block uses
from numba import float32

from cudalike import cuda

THREADS = 128
RADIUS = 1


@cuda.jit
def box_sum(x, out):
    tile = cuda.shared.array(12288, float32)  # room for any radius
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
