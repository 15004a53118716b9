"""The tile is read straight after it is filled, with no cuda.syncthreads() in between."""

# expect: call cuda.syncthreads() after every store into the tile
from numba import cuda, float32


@cuda.jit
def stencil_shared(x, out):
    tile = cuda.shared.array(134, float32)
    i = cuda.grid(1)
    t = cuda.threadIdx.x
    n = x.size
    tile[t + 3] = x[i] if i < n else 0.0
    if t < 3:
        tile[t] = x[i - 3] if i - 3 >= 0 else 0.0
        tile[t + 131] = x[i + 128] if i + 128 < n else 0.0
    if i < n:
        total = 0.0
        for k in range(7):
            total += tile[t + k]
        out[i] = total
