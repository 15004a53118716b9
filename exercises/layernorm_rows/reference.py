"""Reference for layernorm_rows: one block per row, the row kept in shared memory after one read.

Each thread copies its columns into shared memory while summing them; a tree gives the mean;
the cached values become deviations from the mean, whose squares give the variance (two passes
over shared memory, never x); the write scales by 1 / sqrt(variance + 1e-5) and gamma and
shifts by beta. Each element of x crosses global memory once each way.
"""

import math

from numba import float32

from cudalike import cuda


@cuda.jit
def layernorm(x, gamma, beta, out):
    cached = cuda.shared.array(1024, float32)
    scratch = cuda.shared.array(256, float32)
    r = cuda.blockIdx.x
    t = cuda.threadIdx.x
    n = x.shape[1]

    own = float32(0)
    j = t
    while j < n:
        cached[j] = x[r, j]
        own += cached[j]
        j += 256
    scratch[t] = own
    cuda.syncthreads()
    half = 128
    while half > 0:
        if t < half:
            scratch[t] += scratch[t + half]
        cuda.syncthreads()
        half //= 2
    mean = scratch[0] / float32(n)
    cuda.syncthreads()

    own = float32(0)
    j = t
    while j < n:
        cached[j] -= mean
        own += cached[j] * cached[j]
        j += 256
    scratch[t] = own
    cuda.syncthreads()
    half = 128
    while half > 0:
        if t < half:
            scratch[t] += scratch[t + half]
        cuda.syncthreads()
        half //= 2
    scale = float32(1) / math.sqrt(scratch[0] / float32(n) + float32(1e-5))

    j = t
    while j < n:
        out[r, j] = cached[j] * scale * gamma[j] + beta[j]
        j += 256
