"""block_sums skips the store for threads past the end, so the last block sums empty slots."""
# expect: every thread stores x[i] or 0 past the end

from numba import cuda, float32


@cuda.jit
def block_sums(x, partials):
    cache = cuda.shared.array(256, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    if i < x.size:
        cache[t] = x[i]
    cuda.syncthreads()
    stride = 128
    while stride > 0:
        if t < stride:
            cache[t] += cache[t + stride]
        cuda.syncthreads()
        stride //= 2
    if t == 0:
        partials[cuda.blockIdx.x] = cache[0]


@cuda.jit
def final_sum(partials, out):
    if cuda.blockIdx.x != 0:
        return
    cache = cuda.shared.array(256, float32)
    t = cuda.threadIdx.x
    total = float32(0)
    for k in range(t, partials.size, 256):
        total += partials[k]
    cache[t] = total
    cuda.syncthreads()
    stride = 128
    while stride > 0:
        if t < stride:
            cache[t] += cache[t + stride]
        cuda.syncthreads()
        stride //= 2
    if t == 0:
        out[0] = cache[0]
