"""Correct, but the mean, the variance and the write each read the row from global memory."""
# expect: reads each element of x from global memory more than once
# expect: Copy the row into a cuda.shared.array(1024, float32)

import math

from numba import cuda, float32


@cuda.jit
def layernorm(x, gamma, beta, out):
    partial = cuda.shared.array(256, float32)
    row = cuda.blockIdx.x
    t = cuda.threadIdx.x
    cols = x.shape[1]

    total = float32(0)
    for j in range(t, cols, 256):
        total += x[row, j]
    partial[t] = total
    cuda.syncthreads()
    stride = 128
    while stride > 0:
        if t < stride:
            partial[t] += partial[t + stride]
        cuda.syncthreads()
        stride //= 2
    mean = partial[0] / cols
    cuda.syncthreads()  # every thread has read the sum before partial is reused

    squares = float32(0)
    for j in range(t, cols, 256):
        d = x[row, j] - mean
        squares += d * d
    partial[t] = squares
    cuda.syncthreads()
    stride = 128
    while stride > 0:
        if t < stride:
            partial[t] += partial[t + stride]
        cuda.syncthreads()
        stride //= 2
    inv_std = float32(1) / math.sqrt(partial[0] / cols + float32(1e-5))

    for j in range(t, cols, 256):
        out[row, j] = (x[row, j] - mean) * inv_std * gamma[j] + beta[j]
