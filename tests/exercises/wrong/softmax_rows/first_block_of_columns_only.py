"""Handles only column t of each row: columns past the first 256 are never read nor written."""
# expect: A row has up to 1000 columns but the block 256 threads

import math

from numba import cuda, float32


@cuda.jit
def softmax_rows(x, out):
    shared = cuda.shared.array(256, float32)
    row = cuda.blockIdx.x
    t = cuda.threadIdx.x
    inside = t < x.shape[1]
    shared[t] = x[row, t] if inside else float32(-math.inf)
    cuda.syncthreads()
    stride = 128
    while stride > 0:
        if t < stride:
            shared[t] = max(shared[t], shared[t + stride])
        cuda.syncthreads()
        stride //= 2
    m = shared[0]
    cuda.syncthreads()
    e = math.exp(x[row, t] - m) if inside else float32(0)
    shared[t] = e
    cuda.syncthreads()
    stride = 128
    while stride > 0:
        if t < stride:
            shared[t] += shared[t + stride]
        cuda.syncthreads()
        stride //= 2
    if inside:
        out[row, t] = e / shared[0]
