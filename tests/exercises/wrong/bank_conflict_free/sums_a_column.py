"""Lane r adds column r of the tile (tile[c, tx]) instead of row r."""

# expect: lane r of warp 0 adds tile[r, c]
from numba import float32

from cudalike import cuda


@cuda.jit
def row_sums(x, out):
    tile = cuda.shared.array((32, 33), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    base = cuda.blockIdx.x * 32
    for k in range(ty, 32, 8):
        row = base + k
        tile[k, tx] = x[row, tx] if row < x.shape[0] else float32(0)
    cuda.syncthreads()
    if ty == 0:
        total = float32(0)
        for c in range(32):
            total += tile[c, tx]
        if base + tx < x.shape[0]:
            out[base + tx] = total
