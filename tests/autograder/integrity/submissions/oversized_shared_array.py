"""Attack: a shared array far larger than a streaming multiprocessor has."""

import numba
from numba import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    tile = cuda.shared.array(100_000_000, numba.float32)
    tile[cuda.threadIdx.x] = 0.0
    cuda.syncthreads()
    if i < out.size:
        out[i] = tile[cuda.threadIdx.x]
