"""Puts cuda.syncthreads() inside the if, where only half the threads arrive."""
# expect: Move it after the if

from numba import cuda, float32


@cuda.jit
def dot_product(a, b, out):
    cache = cuda.shared.array(256, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    cache[t] = a[i] * b[i] if i < a.size else float32(0)
    cuda.syncthreads()
    stride = 128
    while stride > 0:
        if t < stride:
            cache[t] += cache[t + stride]
            cuda.syncthreads()
        stride //= 2
    if t == 0:
        cuda.atomic.add(out, 0, cache[0])
