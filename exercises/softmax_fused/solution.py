"""Instructor solution for softmax_fused: the row cached in shared memory, one reciprocal."""

import math

from numba import float32

from cudalike import cuda


@cuda.jit
def softmax(x, out):
    cached = cuda.shared.array(1024, float32)
    scratch = cuda.shared.array(256, float32)
    r = cuda.blockIdx.x
    t = cuda.threadIdx.x
    n = x.shape[1]

    largest = float32(-math.inf)
    j = t
    while j < n:
        cached[j] = x[r, j]
        largest = max(largest, cached[j])
        j += 256
    scratch[t] = largest
    cuda.syncthreads()
    half = 128
    while half > 0:
        if t < half and scratch[t + half] > scratch[t]:
            scratch[t] = scratch[t + half]
        cuda.syncthreads()
        half //= 2
    largest = scratch[0]
    cuda.syncthreads()

    total = float32(0)
    j = t
    while j < n:
        cached[j] = math.exp(cached[j] - largest)
        total += cached[j]
        j += 256
    scratch[t] = total
    cuda.syncthreads()
    half = 128
    while half > 0:
        if t < half:
            scratch[t] += scratch[t + half]
        cuda.syncthreads()
        half //= 2

    inverse = float32(1) / scratch[0]
    j = t
    while j < n:
        out[r, j] = cached[j] * inverse
        j += 256
