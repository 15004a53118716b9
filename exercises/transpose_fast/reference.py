"""Reference for transpose_fast: a 32 x 33 shared tile (padded against bank conflicts), 32 x 8
threads each moving 4 elements, so that global reads and writes both run along rows."""

from numba import float32

from cudalike import cuda

TILE = 32
ROWS_PER_PASS = 8


@cuda.jit
def transpose(x, out):
    tile = cuda.shared.array((TILE, TILE + 1), float32)
    rows, cols = x.shape
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    col = cuda.blockIdx.x * TILE + tx
    for k in range(0, TILE, ROWS_PER_PASS):
        row = cuda.blockIdx.y * TILE + ty + k
        if row < rows and col < cols:
            tile[ty + k, tx] = x[row, col]
    cuda.syncthreads()
    out_col = cuda.blockIdx.y * TILE + tx
    for k in range(0, TILE, ROWS_PER_PASS):
        out_row = cuda.blockIdx.x * TILE + ty + k
        if out_row < cols and out_col < rows:
            out[out_row, out_col] = tile[tx, ty + k]
