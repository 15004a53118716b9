"""Only the block's own elements are loaded; the three on each side are taken as 0 (no halo)."""

# expect: the halo is missing or misplaced
from numba import cuda, float32


@cuda.jit
def stencil_shared(x, out):
    tile = cuda.shared.array(134, float32)
    i = cuda.grid(1)
    t = cuda.threadIdx.x
    n = x.size
    tile[t + 3] = x[i] if i < n else 0.0
    if t < 3:
        tile[t] = 0.0
        tile[t + 131] = 0.0
    cuda.syncthreads()
    if i < n:
        total = 0.0
        for k in range(7):
            total += tile[t + k]
        out[i] = total
