"""Threads 128-255 use 2 * t, not 2 * (t - 128): they skip the block's odd elements."""

# expect: every element exactly once
from numba import float32

from cudalike import cuda

THREADS = 256
STEPS = 256


@cuda.jit
def parity_map(x, out):
    t = cuda.threadIdx.x
    half = THREADS // 2
    odd = t // half  # 0 for warps 0-3, 1 for warps 4-7: uniform across each warp
    i = cuda.blockIdx.x * THREADS + 2 * t + odd
    if i < x.size:
        v = x[i]
        if odd == 0:
            for _ in range(STEPS):
                v = v * float32(0.999) + float32(0.5)
        else:
            for _ in range(STEPS):
                v = v * float32(1.001) - float32(0.5)
        out[i] = v
