"""Correct, but the edge threads load the halo after their centre: more loads one after another."""
# expect: loads the halo with a few threads, one load after another

from numba import float32

from cudalike import cuda


@cuda.jit(device=True)
def value_or_zero(x, r, c):
    inside = 0 <= r < x.shape[0] and 0 <= c < x.shape[1]
    return x[r, c] if inside else float32(0)


@cuda.jit
def stencil(x, out):
    tile = cuda.shared.array((10, 34), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    col, row = cuda.grid(2)
    rows, cols = x.shape

    tile[ty + 1, tx + 1] = value_or_zero(x, row, col)
    if ty == 0:
        tile[0, tx + 1] = value_or_zero(x, row - 1, col)
    if ty == 7:
        tile[9, tx + 1] = value_or_zero(x, row + 1, col)
    if tx == 0:
        tile[ty + 1, 0] = value_or_zero(x, row, col - 1)
    if tx == 31:
        tile[ty + 1, 33] = value_or_zero(x, row, col + 1)
    cuda.syncthreads()
    if row < rows and col < cols:
        total = tile[ty, tx + 1] + tile[ty + 2, tx + 1] + tile[ty + 1, tx] + tile[ty + 1, tx + 2]
        out[row, col] = float32(0.5) * tile[ty + 1, tx + 1] + float32(0.125) * total
