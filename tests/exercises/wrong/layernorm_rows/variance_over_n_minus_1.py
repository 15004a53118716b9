"""Divides the sum of squared deviations by n - 1 (the sample variance) instead of n."""
# expect: the variance divides by x.shape[1] (not x.shape[1] - 1)

import math

from numba import cuda, float32


@cuda.jit
def layernorm(x, gamma, beta, out):
    row_values = cuda.shared.array(1024, float32)
    partial = cuda.shared.array(256, float32)
    row = cuda.blockIdx.x
    t = cuda.threadIdx.x
    cols = x.shape[1]

    total = float32(0)
    for j in range(t, cols, 256):
        v = x[row, j]
        row_values[j] = v
        total += v
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
        d = row_values[j] - mean
        squares += d * d
    partial[t] = squares
    cuda.syncthreads()
    stride = 128
    while stride > 0:
        if t < stride:
            partial[t] += partial[t + stride]
        cuda.syncthreads()
        stride //= 2
    inv_std = float32(1) / math.sqrt(partial[0] / (cols - 1) + float32(1e-5))

    for j in range(t, cols, 256):
        out[row, j] = (row_values[j] - mean) * inv_std * gamma[j] + beta[j]
