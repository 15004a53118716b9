"""Correct, but 1-D blocking (Boehm's kernel 4): a column of 16 results per thread.

Each d reads one value of B's tile into a register but still 16 values of A's tile from shared
memory: 17 shared reads for 16 multiply-adds, where a 4 x 4 square needs 8.
"""
# expect: Correct, but slower than the reference
# expect: a column of 16 results per thread (1-D blocking) needs 17 reads for 16 multiply-adds

from numba import cuda, float32


@cuda.jit
def matmul(a, b, c):
    tile_a = cuda.shared.array((64, 8), float32)
    tile_b = cuda.shared.array((8, 64), float32)
    acc = cuda.local.array(16, float32)
    t = cuda.threadIdx.y * 16 + cuda.threadIdx.x
    col = t % 64
    first = (t // 64) * 16
    row0 = cuda.blockIdx.y * 64
    col0 = cuda.blockIdx.x * 64
    m, k = a.shape
    n = b.shape[1]
    for i in range(16):
        acc[i] = float32(0)
    ar = t // 8
    ac = t % 8
    br = t // 64
    for k0 in range(0, k, 8):
        a0, a1, b0, b1 = (
            a[row0 + ar, k0 + ac] if row0 + ar < m and k0 + ac < k else float32(0),
            a[row0 + ar + 32, k0 + ac] if row0 + ar + 32 < m and k0 + ac < k else float32(0),
            b[k0 + br, col0 + col] if k0 + br < k and col0 + col < n else float32(0),
            b[k0 + br + 4, col0 + col] if k0 + br + 4 < k and col0 + col < n else float32(0),
        )
        tile_a[ar, ac] = a0
        tile_a[ar + 32, ac] = a1
        tile_b[br, col] = b0
        tile_b[br + 4, col] = b1
        cuda.syncthreads()
        for d in range(8):
            value_b = tile_b[d, col]
            for i in range(16):
                acc[i] += tile_a[first + i, d] * value_b
        cuda.syncthreads()
    for i in range(16):
        if row0 + first + i < m and col0 + col < n:
            c[row0 + first + i, col0 + col] = acc[i]
