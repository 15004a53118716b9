"""A learner's vector add as a plain script."""

import numpy as np
from numba import cuda

THREADS_PER_BLOCK = 128


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i] + b[i]


if __name__ == "__main__":
    a = np.arange(1000.0)
    out = np.zeros_like(a)
    vector_add[(a.size + THREADS_PER_BLOCK - 1) // THREADS_PER_BLOCK, THREADS_PER_BLOCK](a, a, out)
