"""Correct but slow: a (32, 32) tile; warp 0 reads it by columns, a 32-way bank conflict."""

# expect: Declare the tile (32, 33)
from numba import float32

from cudalike import cuda


@cuda.jit
def row_sums(x, out):
    tile = cuda.shared.array((32, 32), float32)
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
            total += tile[tx, c]
        if base + tx < x.shape[0]:
            out[base + tx] = total
