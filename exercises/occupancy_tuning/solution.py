"""Instructor solution for occupancy_tuning: a 130-float tile; the first and last thread of the
block also load the halo element on their side."""

from numba import float32

from cudalike import cuda


@cuda.jit
def box_sum(x, out):
    tile = cuda.shared.array(130, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    n = x.shape[0]
    tile[t + 1] = x[i] if i < n else float32(0)
    if t == 0:
        tile[0] = x[i - 1] if i >= 1 else float32(0)
    if t == 127:
        tile[129] = x[i + 1] if i + 1 < n else float32(0)
    cuda.syncthreads()
    if i < n:
        out[i] = tile[t] + tile[t + 1] + tile[t + 2]
