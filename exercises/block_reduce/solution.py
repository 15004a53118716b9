"""Instructor solution for block_reduce: the tree in a for loop, the stride from blockDim."""

from numba import float32

from cudalike import cuda


@cuda.jit
def block_reduce(x, out):
    values = cuda.shared.array(256, float32)
    t = cuda.threadIdx.x
    i = cuda.blockIdx.x * cuda.blockDim.x + t
    values[t] = float32(0)
    if i < x.shape[0]:
        values[t] = x[i]
    cuda.syncthreads()
    half = cuda.blockDim.x // 2
    for _ in range(8):
        if t < half:
            values[t] = values[t] + values[t + half]
        half = half // 2
        cuda.syncthreads()
    if t == 0:
        out[cuda.blockIdx.x] = values[0]
