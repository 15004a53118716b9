"""Sums each block correctly, then adds the total with out[0] += instead of an atomic."""
# expect: out[0] += total is not safe across blocks

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
        out[0] += cache[0]
