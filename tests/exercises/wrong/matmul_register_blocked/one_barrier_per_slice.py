"""Only one cuda.syncthreads() per slice: the next slice's stores overwrite values being read."""
# expect: Each slice needs two cuda.syncthreads()

from numba import cuda, float32


@cuda.jit
def matmul(a, b, c):
    tile_a = cuda.shared.array((64, 8), float32)
    tile_b = cuda.shared.array((8, 64), float32)
    acc = cuda.local.array((4, 4), float32)
    reg_a = cuda.local.array(4, float32)
    reg_b = cuda.local.array(4, float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    t = ty * 16 + tx
    row0 = cuda.blockIdx.y * 64
    col0 = cuda.blockIdx.x * 64
    m, k = a.shape
    n = b.shape[1]
    for i in range(4):
        for j in range(4):
            acc[i, j] = float32(0)
    ar = t // 8
    ac = t % 8
    br = t // 64
    bc = t % 64
    for k0 in range(0, k, 8):
        a0, a1, b0, b1 = (
            a[row0 + ar, k0 + ac] if row0 + ar < m and k0 + ac < k else float32(0),
            a[row0 + ar + 32, k0 + ac] if row0 + ar + 32 < m and k0 + ac < k else float32(0),
            b[k0 + br, col0 + bc] if k0 + br < k and col0 + bc < n else float32(0),
            b[k0 + br + 4, col0 + bc] if k0 + br + 4 < k and col0 + bc < n else float32(0),
        )
        tile_a[ar, ac] = a0
        tile_a[ar + 32, ac] = a1
        tile_b[br, bc] = b0
        tile_b[br + 4, bc] = b1
        cuda.syncthreads()
        for d in range(8):
            for i in range(4):
                reg_a[i] = tile_a[ty + 16 * i, d]
            for j in range(4):
                reg_b[j] = tile_b[d, tx + 16 * j]
            for i in range(4):
                for j in range(4):
                    acc[i, j] += reg_a[i] * reg_b[j]
    for i in range(4):
        for j in range(4):
            if row0 + ty + 16 * i < m and col0 + tx + 16 * j < n:
                c[row0 + ty + 16 * i, col0 + tx + 16 * j] = acc[i, j]
