"""Reference for matmul_shared_tiled: 32 x 32 tiles of A and B in shared memory, zero-padded."""

from numba import float32

from cudalike import cuda

TILE = 32


@cuda.jit
def matmul(a, b, c):
    tile_a = cuda.shared.array((TILE, TILE), float32)
    tile_b = cuda.shared.array((TILE, TILE), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    col = cuda.blockIdx.x * TILE + tx
    row = cuda.blockIdx.y * TILE + ty
    m, k = a.shape
    n = b.shape[1]
    acc = float32(0)
    for t in range((k + TILE - 1) // TILE):
        ka = t * TILE + tx
        tile_a[ty, tx] = a[row, ka] if row < m and ka < k else float32(0)
        kb = t * TILE + ty
        tile_b[ty, tx] = b[kb, col] if kb < k and col < n else float32(0)
        cuda.syncthreads()
        for j in range(TILE):
            acc += tile_a[ty, j] * tile_b[j, tx]
        cuda.syncthreads()
    if row < m and col < n:
        c[row, col] = acc
