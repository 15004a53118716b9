"""Fills the shared array and starts the tree with no cuda.syncthreads() at all."""
# expect: after filling the shared array and after every step of the tree

from numba import cuda, float32


@cuda.jit
def block_reduce(x, out):
    partial = cuda.shared.array(256, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    partial[t] = x[i] if i < x.size else float32(0)
    stride = 128
    while stride > 0:
        if t < stride:
            partial[t] += partial[t + stride]
        stride //= 2
    if t == 0:
        out[cuda.blockIdx.x] = partial[0]
