"""Correct, but each slice's four tile loads are four statements: four memory round trips.

The 4 x 4 register blocking is right; the loop over the two halves of each tile waits for every
load before issuing the next, so the kernel is latency bound.
"""
# expect: Correct, but slower than the reference
# expect: load all four tile elements in one statement

from numba import cuda, float32

BM = 64
BN = 64
BK = 8


@cuda.jit
def matmul(a, b, c):
    tile_a = cuda.shared.array((BM, BK), float32)
    tile_b = cuda.shared.array((BK, BN), float32)
    acc = cuda.local.array((4, 4), float32)
    reg_a = cuda.local.array(4, float32)
    reg_b = cuda.local.array(4, float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    t = ty * 16 + tx
    row0 = cuda.blockIdx.y * BM
    col0 = cuda.blockIdx.x * BN
    m, k = a.shape
    n = b.shape[1]
    for i in range(4):
        for j in range(4):
            acc[i, j] = float32(0)
    for k0 in range(0, k, BK):
        for half in range(2):
            e = half * 256 + t
            ar = row0 + e // BK
            ak = k0 + e % BK
            tile_a[e // BK, e % BK] = a[ar, ak] if ar < m and ak < k else float32(0)
            bk = k0 + e // BN
            bc = col0 + e % BN
            tile_b[e // BN, e % BN] = b[bk, bc] if bk < k and bc < n else float32(0)
        cuda.syncthreads()
        for d in range(BK):
            for i in range(4):
                reg_a[i] = tile_a[ty + 16 * i, d]
            for j in range(4):
                reg_b[j] = tile_b[d, tx + 16 * j]
            for i in range(4):
                for j in range(4):
                    acc[i, j] += reg_a[i] * reg_b[j]
        cuda.syncthreads()
    for i in range(4):
        for j in range(4):
            row = row0 + ty + 16 * i
            col = col0 + tx + 16 * j
            if row < m and col < n:
                c[row, col] = acc[i, j]
