"""Reference for softmax_fused: one block per row; the row stays in shared memory after one read.

Each thread copies its columns of the row into shared memory while taking their max; a tree
gives the row max; exp(x - max) replaces the cached values while their sum is taken; a second
tree gives the sum; the write divides. Every element crosses global memory once each way.
"""

import math

from numba import float32

from cudalike import cuda


@cuda.jit
def softmax(x, out):
    row_values = cuda.shared.array(1024, float32)
    partial = cuda.shared.array(256, float32)
    row = cuda.blockIdx.x
    t = cuda.threadIdx.x
    cols = x.shape[1]
    m = float32(-math.inf)
    for j in range(t, cols, 256):
        v = x[row, j]
        row_values[j] = v
        m = max(m, v)
    partial[t] = m
    cuda.syncthreads()
    stride = 128
    while stride > 0:
        if t < stride:
            partial[t] = max(partial[t], partial[t + stride])
        cuda.syncthreads()
        stride //= 2
    m = partial[0]
    cuda.syncthreads()
    s = float32(0)
    for j in range(t, cols, 256):
        e = math.exp(row_values[j] - m)
        row_values[j] = e
        s += e
    partial[t] = s
    cuda.syncthreads()
    stride = 128
    while stride > 0:
        if t < stride:
            partial[t] += partial[t + stride]
        cuda.syncthreads()
        stride //= 2
    s = partial[0]
    for j in range(t, cols, 256):
        out[row, j] = row_values[j] / s
