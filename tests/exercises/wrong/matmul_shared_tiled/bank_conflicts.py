"""Correct, but B's tile is stored transposed and read down a column: 32-way bank conflicts."""
# expect: the shared tiles are read with bank conflicts
# expect: read tile_a[ty, j] (a broadcast) and tile_b[j, tx] (32 banks)

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
    for t in range((k + 31) // 32):
        ka = t * 32 + tx
        tile_a[ty, tx] = a[row, ka] if row < m and ka < k else float32(0)
        kb = t * 32 + ty
        tile_b[tx, ty] = b[kb, col] if kb < k and col < n else float32(0)
        cuda.syncthreads()
        for j in range(32):
            acc += tile_a[ty, j] * tile_b[tx, j]
        cuda.syncthreads()
    if row < m and col < n:
        c[row, col] = acc
