"""Instructor solution for guard: threads past the end return before touching memory."""

from cudalike import cuda


@cuda.jit
def guard(x, out):
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    if i >= x.size:
        return
    out[i] = x[i] * x[i]
