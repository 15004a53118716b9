"""Reuses the shared array for the sum right after reading the max, with no barrier in between."""
# expect: once more after every thread has read the max

import math

from numba import cuda, float32


@cuda.jit
def softmax_rows(x, out):
    shared = cuda.shared.array(256, float32)
    row = cuda.blockIdx.x
    t = cuda.threadIdx.x
    m = float32(-math.inf)
    for j in range(t, x.shape[1], 256):
        m = max(m, x[row, j])
    shared[t] = m
    cuda.syncthreads()
    stride = 128
    while stride > 0:
        if t < stride:
            shared[t] = max(shared[t], shared[t + stride])
        cuda.syncthreads()
        stride //= 2
    m = shared[0]
    s = float32(0)
    for j in range(t, x.shape[1], 256):
        s += math.exp(x[row, j] - m)
    shared[t] = s
    cuda.syncthreads()
    stride = 128
    while stride > 0:
        if t < stride:
            shared[t] += shared[t + stride]
        cuda.syncthreads()
        stride //= 2
    for j in range(t, x.shape[1], 256):
        out[row, j] = math.exp(x[row, j] - m) / shared[0]
