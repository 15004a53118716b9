"""Forgets the second cuda.syncthreads(): the next tile overwrites values others still read."""
# expect: one after the 16 multiply-adds, before the next tile is loaded

from numba import cuda, float32


@cuda.jit
def tiled_matmul(a, b, c):
    sa = cuda.shared.array((16, 16), float32)
    sb = cuda.shared.array((16, 16), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    col, row = cuda.grid(2)
    m, k = a.shape
    n = b.shape[1]
    acc = float32(0)
    for t in range((k + 15) // 16):
        sa[ty, tx] = a[row, t * 16 + tx] if row < m and t * 16 + tx < k else float32(0)
        sb[ty, tx] = b[t * 16 + ty, col] if t * 16 + ty < k and col < n else float32(0)
        cuda.syncthreads()
        for j in range(16):
            acc += sa[ty, j] * sb[j, tx]
    if row < m and col < n:
        c[row, col] = acc
