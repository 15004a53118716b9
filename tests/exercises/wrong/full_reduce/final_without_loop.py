"""final_sum reads only partials[t]: with more partial sums than threads, the rest are lost."""
# expect: there are more of them than its 256 threads

from numba import cuda, float32


@cuda.jit
def block_sums(x, partials):
    cache = cuda.shared.array(256, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    cache[t] = x[i] if i < x.size else float32(0)
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
    cache[t] = partials[t] if t < partials.size else float32(0)
    cuda.syncthreads()
    stride = 128
    while stride > 0:
        if t < stride:
            cache[t] += cache[t + stride]
        cuda.syncthreads()
        stride //= 2
    if t == 0:
        out[0] = cache[0]
