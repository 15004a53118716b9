"""Tests cuda.threadIdx.x == 0 for lane 0: only the first warp of each block writes its sum."""
# expect: not cuda.threadIdx.x == 0, which is only the first warp of the block

from numba import cuda, float32


@cuda.jit
def warp_reduce(x, out):
    i = cuda.grid(1)
    value = x[i] if i < x.size else float32(0)
    offset = 16
    while offset > 0:
        value += cuda.shfl_down_sync(0xFFFFFFFF, value, offset)
        offset //= 2
    if cuda.threadIdx.x == 0:
        out[i // 32] = value
