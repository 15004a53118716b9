"""Instructor solution for occupancy_tuning: a 130-float tile; every thread loads its own element
and threads 0 and 1 also load the halo element before and after the block."""

from numba import float32

from cudalike import cuda


@cuda.jit
def box_sum(x, out):
    tile = cuda.shared.array(130, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    n = x.shape[0]
    tile[t + 1] = x[i] if i < n else float32(0)
    if t < 2:
        j = cuda.blockIdx.x * 128 - 1 + 129 * t  # t = 0: the element before, t = 1: after
        tile[129 * t] = x[j] if 0 <= j < n else float32(0)
    cuda.syncthreads()
    if i < n:
        out[i] = tile[t] + tile[t + 1] + tile[t + 2]
