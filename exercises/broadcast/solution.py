"""Instructor solution for broadcast: the indices spelled out, and an early return outside."""

from cudalike import cuda


@cuda.jit
def broadcast(a, b, out):
    row = cuda.blockIdx.y * cuda.blockDim.y + cuda.threadIdx.y
    col = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    if row >= a.shape[0] or col >= b.shape[0]:
        return
    out[row, col] = b[col] + a[row]
