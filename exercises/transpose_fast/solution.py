"""Instructor solution for transpose_fast: an unpadded 32 x 32 tile with XOR-swizzled columns.

Element (r, c) of the tile is stored in column c ^ r: a warp writing a row (r fixed, c = 0..31)
and a warp reading a column (c fixed, r = 0..31) both touch 32 different banks, with no padding.
"""

from numba import float32

from cudalike import cuda


@cuda.jit
def transpose(x, out):
    tile = cuda.shared.array((32, 32), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    in_col = cuda.blockIdx.x * 32 + tx
    for r in range(ty, 32, 8):
        in_row = cuda.blockIdx.y * 32 + r
        if in_row < x.shape[0] and in_col < x.shape[1]:
            tile[r, tx ^ r] = x[in_row, in_col]
    cuda.syncthreads()
    out_col = cuda.blockIdx.y * 32 + tx
    for c in range(ty, 32, 8):
        out_row = cuda.blockIdx.x * 32 + c
        if out_row < out.shape[0] and out_col < out.shape[1]:
            out[out_row, out_col] = tile[tx, c ^ tx]
