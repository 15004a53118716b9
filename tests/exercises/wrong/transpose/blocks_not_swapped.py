"""Writes the tile back to the same block position instead of the mirrored one."""

# expect: swap the block indices
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
    cuda.syncthreads()
    for k in range(0, 32, 8):
        out_row = cuda.blockIdx.y * 32 + ty + k
        out_col = cuda.blockIdx.x * 32 + tx
        if out_row < out.shape[0] and out_col < out.shape[1]:
            out[out_row, out_col] = tile[tx, ty + k]
