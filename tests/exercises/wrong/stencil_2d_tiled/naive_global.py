"""Reads the five values straight from global memory: no shared tile."""
# expect: Stage the block's 8 x 32 tile and its halo in a cuda.shared.array((10, 34), float32)

from numba import cuda, float32


@cuda.jit
def stencil(x, out):
    col, row = cuda.grid(2)
    rows, cols = x.shape
    if row < rows and col < cols:
        total = float32(0)
        if row > 0:
            total += x[row - 1, col]
        if row < rows - 1:
            total += x[row + 1, col]
        if col > 0:
            total += x[row, col - 1]
        if col < cols - 1:
            total += x[row, col + 1]
        out[row, col] = float32(0.5) * x[row, col] + float32(0.125) * total
