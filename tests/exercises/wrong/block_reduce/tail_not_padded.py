"""Threads past the end of x skip the store, so the last block's tree reads empty shared slots."""
# expect: Every thread stores something: x[i] inside the array, 0 past its end

from numba import cuda, float32


@cuda.jit
def block_reduce(x, out):
    partial = cuda.shared.array(256, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    if i < x.size:
        partial[t] = x[i]
    cuda.syncthreads()
    stride = 128
    while stride > 0:
        if t < stride:
            partial[t] += partial[t + stride]
        cuda.syncthreads()
        stride //= 2
    if t == 0:
        out[cuda.blockIdx.x] = partial[0]
