"""Loads x[i] with no guard: the last warp reads past the end of x."""
# expect: Load x[i] only if i < x.size and use 0 otherwise

from numba import cuda


@cuda.jit
def warp_reduce(x, out):
    i = cuda.grid(1)
    value = x[i]
    offset = 16
    while offset > 0:
        value += cuda.shfl_down_sync(0xFFFFFFFF, value, offset)
        offset //= 2
    if cuda.laneid == 0:
        out[i // 32] = value
