"""Instructor solution for softmax_rows: separate shared arrays for the max and for the sum."""

import math

from numba import float32

from cudalike import cuda


@cuda.jit
def softmax_rows(x, out):
    maxima = cuda.shared.array(256, float32)
    sums = cuda.shared.array(256, float32)
    row = cuda.blockIdx.x
    t = cuda.threadIdx.x
    width = x.shape[1]

    m = x[row, 0]
    j = t
    while j < width:
        m = max(m, x[row, j])
        j += 256
    maxima[t] = m
    cuda.syncthreads()
    for level in range(7, -1, -1):
        half = 1 << level
        if t < half:
            maxima[t] = max(maxima[t], maxima[t + half])
        cuda.syncthreads()
    m = maxima[0]

    s = float32(0)
    j = t
    while j < width:
        s += math.exp(x[row, j] - m)
        j += 256
    sums[t] = s
    cuda.syncthreads()
    for level in range(7, -1, -1):
        half = 1 << level
        if t < half:
            sums[t] = sums[t] + sums[t + half]
        cuda.syncthreads()
    inverse_total = float32(1) / sums[0]

    j = t
    while j < width:
        out[row, j] = math.exp(x[row, j] - m) * inverse_total
        j += 256
