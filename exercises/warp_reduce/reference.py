"""Reference for warp_reduce: a shuffle-down tree in registers, lane 0 of each warp writes."""

from numba import float32

from cudalike import cuda

FULL_MASK = 0xFFFFFFFF


@cuda.jit
def warp_reduce(x, out):
    i = cuda.grid(1)
    value = x[i] if i < x.size else float32(0)
    offset = 16
    while offset > 0:
        value += cuda.shfl_down_sync(FULL_MASK, value, offset)
        offset //= 2
    if cuda.laneid == 0 and i < x.size:
        out[i // 32] = value
