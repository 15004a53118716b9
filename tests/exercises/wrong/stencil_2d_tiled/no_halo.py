"""Loads only the block's own 8 x 32 values: neighbours across the block's edge read as garbage."""
# expect: the halo

from numba import cuda, float32


@cuda.jit
def stencil(x, out):
    tile = cuda.shared.array((10, 34), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    col, row = cuda.grid(2)
    rows, cols = x.shape
    if row < rows and col < cols:
        tile[ty + 1, tx + 1] = x[row, col]
    cuda.syncthreads()
    if row < rows and col < cols:
        total = tile[ty, tx + 1] + tile[ty + 2, tx + 1] + tile[ty + 1, tx] + tile[ty + 1, tx + 2]
        out[row, col] = float32(0.5) * tile[ty + 1, tx + 1] + float32(0.125) * total
