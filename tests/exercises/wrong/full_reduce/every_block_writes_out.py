"""final_sum lets every block sum the partials and write out[0], not block 0 alone."""
# expect: out[0] is written once, by thread 0 of block 0 of final_sum

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
