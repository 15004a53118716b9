"""Correct but slow: one thread per element, branching on i % 2, so every warp runs both loops."""

# expect: every warp runs both 256-step loops
from numba import float32

from cudalike import cuda


@cuda.jit
def parity_map(x, out):
    i = cuda.grid(1)
    if i < x.size:
        v = x[i]
        if i % 2 == 0:
            for _ in range(256):
                v = v * float32(0.999) + float32(0.5)
        else:
            for _ in range(256):
                v = v * float32(1.001) - float32(0.5)
        out[i] = v
