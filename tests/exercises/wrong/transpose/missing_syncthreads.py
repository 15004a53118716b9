"""The tile is read back by columns straight after it is filled, with no barrier in between."""

# expect: call cuda.syncthreads() after the loop that fills the tile
from numba import cuda, float32


@cuda.jit
def transpose(x, out):
    tile = cuda.shared.array((32, 33), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    col = cuda.blockIdx.x * 32 + tx
    for k in range(0, 32, 8):
        row = cuda.blockIdx.y * 32 + ty + k
        if row < x.shape[0] and col < x.shape[1]:
            tile[ty + k, tx] = x[row, col]
    out_col = cuda.blockIdx.y * 32 + tx
    for k in range(0, 32, 8):
        out_row = cuda.blockIdx.x * 32 + ty + k
        if out_row < out.shape[0] and out_col < out.shape[1]:
            out[out_row, out_col] = tile[tx, ty + k]
