"""No tile: each lane sums its row straight from x, so every warp request touches 32 lines."""

# expect: load the block's 32 rows into cuda.shared.array((32, 33), float32)
from numba import float32

from cudalike import cuda


@cuda.jit
def row_sums(x, out):
    r = cuda.blockIdx.x * 32 + cuda.threadIdx.x
    if cuda.threadIdx.y == 0 and r < x.shape[0]:
        total = float32(0)
        for c in range(32):
            total += x[r, c]
        out[r] = total
