"""Reference for dot_product: a shared-memory tree sum per block, then one atomic per block."""

from numba import float32

from cudalike import cuda

THREADS = 256


@cuda.jit
def dot_product(a, b, out):
    products = cuda.shared.array(THREADS, float32)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    products[tid] = a[i] * b[i] if i < a.size else float32(0)
    cuda.syncthreads()
    stride = THREADS // 2
    while stride > 0:
        if tid < stride:
            products[tid] += products[tid + stride]
        cuda.syncthreads()
        stride //= 2
    if tid == 0:
        cuda.atomic.add(out, 0, products[0])
