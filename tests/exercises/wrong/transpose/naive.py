"""No tile: out[col, row] = x[row, col] directly, so the writes to out are uncoalesced."""

# expect: copy a 32 x 32 block of x into cuda.shared.array((32, 33), float32)
from numba import cuda


@cuda.jit
def transpose(x, out):
    col = cuda.blockIdx.x * 32 + cuda.threadIdx.x
    for k in range(4):
        row = cuda.blockIdx.y * 32 + cuda.threadIdx.y + 8 * k
        if row < x.shape[0] and col < x.shape[1]:
            out[col, row] = x[row, col]
