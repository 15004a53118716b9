"""No tile: each thread writes out[col, row], so every warp's store touches 32 rows of out."""

# expect: stage a 32 x 32 block of x
from cudalike import cuda


@cuda.jit
def transpose(x, out):
    col = cuda.blockIdx.x * 32 + cuda.threadIdx.x
    for k in range(0, 32, 8):
        row = cuda.blockIdx.y * 32 + cuda.threadIdx.y + k
        if row < x.shape[0] and col < x.shape[1]:
            out[col, row] = x[row, col]
