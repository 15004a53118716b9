"""The shared-tiled kernel of the previous exercise, one result per thread: most of C unwritten."""
# expect: each thread must write 16 results, not one

from numba import cuda, float32


@cuda.jit
def matmul(a, b, c):
    tile_a = cuda.shared.array((16, 16), float32)
    tile_b = cuda.shared.array((16, 16), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    col = cuda.blockIdx.x * 16 + tx
    row = cuda.blockIdx.y * 16 + ty
    m, k = a.shape
    n = b.shape[1]
    acc = float32(0)
    for t in range((k + 15) // 16):
        ka = t * 16 + tx
        tile_a[ty, tx] = a[row, ka] if row < m and ka < k else float32(0)
        kb = t * 16 + ty
        tile_b[ty, tx] = b[kb, col] if kb < k and col < n else float32(0)
        cuda.syncthreads()
        for j in range(16):
            acc += tile_a[ty, j] * tile_b[j, tx]
        cuda.syncthreads()
    if row < m and col < n:
        c[row, col] = acc
