"""The remapped index is used without a guard: the last block reads and writes past the end."""

# expect: guard with if i < x.size
from numba import float32

from cudalike import cuda

THREADS = 256
STEPS = 256


@cuda.jit
def parity_map(x, out):
    t = cuda.threadIdx.x
    half = THREADS // 2
    odd = t // half  # 0 for warps 0-3, 1 for warps 4-7: uniform across each warp
    i = cuda.blockIdx.x * THREADS + 2 * (t % half) + odd
    v = x[i]
    if odd == 0:
        for _ in range(STEPS):
            v = v * float32(0.999) + float32(0.5)
    else:
        for _ in range(STEPS):
            v = v * float32(1.001) - float32(0.5)
    out[i] = v
