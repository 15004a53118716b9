"""Correct but much slower: the interleaved tree, tid % (2 * stride), leaves most lanes idle."""

# expect: tid % (2 * stride)
# expect: sum each warp with five shuffles
from numba import float32

from cudalike import cuda


@cuda.jit
def block_sums(x, partials):
    cache = cuda.shared.array(256, float32)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    cache[tid] = x[i] if i < x.size else float32(0)
    cuda.syncthreads()
    stride = 1
    while stride < 256:
        if tid % (2 * stride) == 0:
            cache[tid] += cache[tid + stride]
        cuda.syncthreads()
        stride *= 2
    if tid == 0:
        partials[cuda.blockIdx.x] = cache[0]
