"""cuda.syncthreads() sits inside if i < n, which the last block's spare threads skip."""

# expect: put it at the top level of the kernel
from numba import cuda, float32


@cuda.jit
def stencil_shared(x, out):
    tile = cuda.shared.array(134, float32)
    i = cuda.grid(1)
    t = cuda.threadIdx.x
    n = x.size
    if i < n:
        tile[t + 3] = x[i]
        if t < 3:
            tile[t] = x[i - 3] if i - 3 >= 0 else 0.0
            tile[t + 131] = x[i + 128] if i + 128 < n else 0.0
        cuda.syncthreads()
        total = 0.0
        for k in range(7):
            total += tile[t + k]
        out[i] = total
