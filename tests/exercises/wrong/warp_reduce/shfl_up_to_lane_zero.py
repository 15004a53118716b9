"""Uses cuda.shfl_up_sync but reads the sum from lane 0, which only ever receives its own value."""
# expect: cuda.shfl_up_sync sends values the other way, to lane 31

from numba import cuda, float32


@cuda.jit
def warp_reduce(x, out):
    i = cuda.grid(1)
    value = x[i] if i < x.size else float32(0)
    offset = 16
    while offset > 0:
        value += cuda.shfl_up_sync(0xFFFFFFFF, value, offset)
        offset //= 2
    if cuda.laneid == 0 and i < x.size:
        out[i // 32] = value
