"""Compares with cuda.blockDim.x instead of the array's length: elements past 256 stay unwritten."""

# expect: compare with the array's length, i < out.size
from numba import cuda


@cuda.jit
def guard(x, out):
    i = cuda.grid(1)
    if i < cuda.blockDim.x and i < out.size:
        out[i] = x[i] * x[i]
