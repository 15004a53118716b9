"""Warp 0 sums the tile without waiting for the other warps to fill it."""

# expect: Call cuda.syncthreads() after the loop that fills the tile
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
    if ty == 0:
        total = float32(0)
        for c in range(32):
            total += tile[tx, c]
        if base + tx < x.shape[0]:
            out[base + tx] = total
