"""Each thread sums its own run of neighbouring elements, not the grid-stride elements."""

# expect: grid-stride loop
# expect: cuda.gridsize(1)
from numba import float32

from cudalike import cuda

THREADS = 256


@cuda.jit
def block_sums(x, partials):
    cache = cuda.shared.array(THREADS, float32)
    tid = cuda.threadIdx.x
    total = float32(0)
    per_thread = (x.size + cuda.gridsize(1) - 1) // cuda.gridsize(1)
    start = cuda.grid(1) * per_thread
    for i in range(start, min(start + per_thread, x.size)):
        total += x[i]
    cache[tid] = total
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
