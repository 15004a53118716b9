"""Reference for block_reduce: a tree sum in shared memory, sequential addressing, no atomics."""

from numba import float32

from cudalike import cuda

THREADS = 256


@cuda.jit
def block_reduce(x, out):
    partial = cuda.shared.array(THREADS, float32)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    partial[tid] = x[i] if i < x.size else float32(0)
    cuda.syncthreads()
    stride = THREADS // 2
    while stride > 0:
        if tid < stride:
            partial[tid] += partial[tid + stride]
        cuda.syncthreads()
        stride //= 2
    if tid == 0:
        out[cuda.blockIdx.x] = partial[0]
