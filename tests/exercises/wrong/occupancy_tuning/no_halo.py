"""Only the block's own 128 elements are loaded: tile[0] and tile[129] stay unwritten."""

# expect: the neighbours at tile[0] and tile[129]
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
    tile[t + 1] = x[start + t + 1] if start + t + 1 < n else float32(0)
    cuda.syncthreads()
    i = cuda.blockIdx.x * THREADS + t
    if i < n:
        total = float32(0)
        for d in range(2 * RADIUS + 1):
            total += tile[t + d]
        out[i] = total
