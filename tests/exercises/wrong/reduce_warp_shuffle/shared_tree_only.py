"""Correct but slow: a shared-memory tree all the way down, one barrier per step, no shuffles."""

# expect: cuda.shfl_down_sync moves values between registers
from numba import float32

from cudalike import cuda


@cuda.jit
def block_sums(x, partials):
    cache = cuda.shared.array(256, float32)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    cache[tid] = x[i] if i < x.size else float32(0)
    cuda.syncthreads()
    stride = 128
    while stride > 0:
        if tid < stride:
            cache[tid] += cache[tid + stride]
        cuda.syncthreads()
        stride //= 2
    if tid == 0:
        partials[cuda.blockIdx.x] = cache[0]
