"""Instructor solution for stencil_2d_tiled: the tile copied in a while loop, then the stencil."""

from numba import float32

from cudalike import cuda


@cuda.jit
def stencil(x, out):
    tile = cuda.shared.array((10, 34), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    first_row = cuda.blockIdx.y * 8 - 1
    first_col = cuda.blockIdx.x * 32 - 1
    e = ty * 32 + tx
    while e < 340:
        tile_row = e // 34
        tile_col = e - tile_row * 34
        r = first_row + tile_row
        c = first_col + tile_col
        tile[tile_row, tile_col] = float32(0)
        if 0 <= r < x.shape[0] and 0 <= c < x.shape[1]:
            tile[tile_row, tile_col] = x[r, c]
        e += 256
    cuda.syncthreads()
    col, row = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        centre = tile[ty + 1, tx + 1]
        around = tile[ty, tx + 1] + tile[ty + 2, tx + 1] + tile[ty + 1, tx] + tile[ty + 1, tx + 2]
        out[row, col] = float32(0.5) * centre + float32(0.125) * around
