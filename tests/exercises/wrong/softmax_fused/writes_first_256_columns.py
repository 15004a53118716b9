"""Writes only column t of the row: columns past 256 are never written."""
# expect: loop j = t, t + 256, t + 512

import math

from numba import cuda, float32


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
    if t < cols:
        out[row, t] = row_values[t] / s
