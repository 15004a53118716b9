"""Instructor solution for map: the global index spelled out, and an early return past the end."""

from cudalike import cuda


@cuda.jit
def map(x, out):
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    if i >= x.shape[0]:
        return
    out[i] = x[i] + 10.0
