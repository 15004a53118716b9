"""Puts cuda.syncthreads() inside if t < stride: half the block never reaches the barrier."""
# expect: Put it after the if, once per step

from numba import cuda, float32


@cuda.jit
def block_reduce(x, out):
    partial = cuda.shared.array(256, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    partial[t] = x[i] if i < x.size else float32(0)
    cuda.syncthreads()
    stride = 128
    while stride > 0:
        if t < stride:
            partial[t] += partial[t + stride]
            cuda.syncthreads()
        stride //= 2
    if t == 0:
        out[cuda.blockIdx.x] = partial[0]
