"""A (32, 32) tile with no padding: reading one of its columns hits one bank 32 times."""

# expect: bank conflicts
# expect: declare it (32, 33)
from numba import cuda, float32


@cuda.jit
def transpose(x, out):
    tile = cuda.shared.array((32, 32), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    col = cuda.blockIdx.x * 32 + tx
    for k in range(0, 32, 8):
        row = cuda.blockIdx.y * 32 + ty + k
        if row < x.shape[0] and col < x.shape[1]:
            tile[ty + k, tx] = x[row, col]
    cuda.syncthreads()
    out_col = cuda.blockIdx.y * 32 + tx
    for k in range(0, 32, 8):
        out_row = cuda.blockIdx.x * 32 + ty + k
        if out_row < out.shape[0] and out_col < out.shape[1]:
            out[out_row, out_col] = tile[tx, ty + k]
