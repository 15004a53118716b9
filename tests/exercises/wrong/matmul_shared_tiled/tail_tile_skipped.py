"""Walks only the full tiles of the inner dimension (k // 32): the partial last tile is lost."""
# expect: that tiles outside the matrix hold 0

from numba import cuda, float32


@cuda.jit
def matmul(a, b, c):
    tile_a = cuda.shared.array((32, 32), float32)
    tile_b = cuda.shared.array((32, 32), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    col = cuda.blockIdx.x * 32 + tx
    row = cuda.blockIdx.y * 32 + ty
    m, k = a.shape
    n = b.shape[1]
    acc = float32(0)
    for t in range(k // 32):
        tile_a[ty, tx] = a[row, t * 32 + tx] if row < m else float32(0)
        tile_b[ty, tx] = b[t * 32 + ty, col] if col < n else float32(0)
        cuda.syncthreads()
        for j in range(32):
            acc += tile_a[ty, j] * tile_b[j, tx]
        cuda.syncthreads()
    if row < m and col < n:
        c[row, col] = acc
