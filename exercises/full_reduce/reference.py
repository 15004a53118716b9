"""Reference for full_reduce: block sums in one launch, then block 0 of a second sums them."""

from numba import float32

from cudalike import cuda

THREADS = 256


@cuda.jit
def block_sums(x, partials):
    cache = cuda.shared.array(THREADS, float32)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    cache[tid] = x[i] if i < x.size else float32(0)
    cuda.syncthreads()
    stride = THREADS // 2
    while stride > 0:
        if tid < stride:
            cache[tid] += cache[tid + stride]
        cuda.syncthreads()
        stride //= 2
    if tid == 0:
        partials[cuda.blockIdx.x] = cache[0]


@cuda.jit
def final_sum(partials, out):
    if cuda.blockIdx.x != 0:  # launched like block_sums; one block is enough
        return
    cache = cuda.shared.array(THREADS, float32)
    tid = cuda.threadIdx.x
    total = float32(0)
    for k in range(tid, partials.size, THREADS):
        total += partials[k]
    cache[tid] = total
    cuda.syncthreads()
    stride = THREADS // 2
    while stride > 0:
        if tid < stride:
            cache[tid] += cache[tid + stride]
        cuda.syncthreads()
        stride //= 2
    if tid == 0:
        out[0] = cache[0]
