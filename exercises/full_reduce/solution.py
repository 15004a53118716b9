"""Instructor solution for full_reduce: one tree device function shared by both kernels."""

from numba import float32

from cudalike import cuda


@cuda.jit(device=True)
def tree_sum(cache, t, size):
    half = size // 2
    while half > 0:
        if t < half:
            cache[t] = cache[t] + cache[t + half]
        cuda.syncthreads()
        half = half // 2


@cuda.jit
def block_sums(x, partials):
    cache = cuda.shared.array(256, float32)
    t = cuda.threadIdx.x
    i = cuda.blockIdx.x * 256 + t
    cache[t] = float32(0)
    if i < x.shape[0]:
        cache[t] = x[i]
    cuda.syncthreads()
    tree_sum(cache, t, 256)
    if t == 0:
        partials[cuda.blockIdx.x] = cache[0]


@cuda.jit
def final_sum(partials, out):
    if cuda.blockIdx.x > 0:
        return
    cache = cuda.shared.array(256, float32)
    t = cuda.threadIdx.x
    running = float32(0)
    k = t
    while k < partials.shape[0]:
        running += partials[k]
        k += 256
    cache[t] = running
    cuda.syncthreads()
    tree_sum(cache, t, 256)
    if t == 0:
        out[0] = cache[0]
