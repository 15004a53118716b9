"""Reference for stencil_2d_tiled: an (8 + 2) x (32 + 2) tile with its halo in shared memory.

The block's 256 threads copy the tile and its one-element halo cooperatively (340 elements, row
by row, so a warp reads neighbouring elements), with 0 outside the grid; then each thread
combines five values from the tile.
"""

from numba import float32

from cudalike import cuda


@cuda.jit
def stencil(x, out):
    tile = cuda.shared.array((10, 34), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    rows, cols = x.shape
    top = cuda.blockIdx.y * 8 - 1
    left = cuda.blockIdx.x * 32 - 1
    for e in range(ty * 32 + tx, 340, 256):
        r = top + e // 34
        c = left + e % 34
        inside = r >= 0 and r < rows and c >= 0 and c < cols
        tile[e // 34, e % 34] = x[r, c] if inside else float32(0)
    cuda.syncthreads()
    row = top + 1 + ty
    col = left + 1 + tx
    if row < rows and col < cols:
        neighbours = (
            tile[ty, tx + 1] + tile[ty + 2, tx + 1] + tile[ty + 1, tx] + tile[ty + 1, tx + 2]
        )
        out[row, col] = float32(0.5) * tile[ty + 1, tx + 1] + float32(0.125) * neighbours
