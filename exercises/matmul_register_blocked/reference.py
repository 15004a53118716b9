"""Reference for matmul_register_blocked: 64 x 64 block tiles, a 4 x 4 square of C per thread.

Each of the 16 x 16 threads owns rows ty + 16 i and columns tx + 16 j (i, j < 4) of the block's
tile: a warp then reads 16 neighbouring words of B's tile and two rows 8 words apart of A's
tile, both free of bank conflicts. Per 8-wide slice of the inner dimension every thread loads
two elements of each tile, all four in one statement so that they are in flight together.
"""

from numba import float32

from cudalike import cuda

BM = 64  # rows of C per block
BN = 64  # columns of C per block
BK = 8  # the slice of the inner dimension staged per step
TM = 4  # rows of C per thread
TN = 4  # columns of C per thread


@cuda.jit
def matmul(a, b, c):
    tile_a = cuda.shared.array((BM, BK), float32)
    tile_b = cuda.shared.array((BK, BN), float32)
    acc = cuda.local.array((TM, TN), float32)
    reg_a = cuda.local.array(TM, float32)
    reg_b = cuda.local.array(TN, float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    t = ty * 16 + tx
    row0 = cuda.blockIdx.y * BM
    col0 = cuda.blockIdx.x * BN
    m, k = a.shape
    n = b.shape[1]
    for i in range(TM):
        for j in range(TN):
            acc[i, j] = float32(0)
    # This thread's elements of the tiles: A rows t // 8 and t // 8 + 32, column t % 8;
    # B rows t // 64 and t // 64 + 4, column t % 64.
    ar = t // 8
    ac = t % 8
    br = t // 64
    bc = t % 64
    for k0 in range(0, k, BK):
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
        for d in range(BK):
            for i in range(TM):
                reg_a[i] = tile_a[ty + 16 * i, d]
            for j in range(TN):
                reg_b[j] = tile_b[d, tx + 16 * j]
            for i in range(TM):
                for j in range(TN):
                    acc[i, j] += reg_a[i] * reg_b[j]
        cuda.syncthreads()
    for i in range(TM):
        for j in range(TN):
            row = row0 + ty + 16 * i
            col = col0 + tx + 16 * j
            if row < m and col < n:
                c[row, col] = acc[i, j]
