"""Correct, but thread 0 adds all 256 shared values one after another instead of a tree."""
# expect: a loop where one thread adds all 256 values runs 256 steps one after another

from numba import cuda, float32


@cuda.jit
def block_reduce(x, out):
    partial = cuda.shared.array(256, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    partial[t] = x[i] if i < x.size else float32(0)
    cuda.syncthreads()
    if t == 0:
        total = float32(0)
        for k in range(256):
            total += partial[k]
        out[cuda.blockIdx.x] = total
