"""Instructor solution for matmul_shared_tiled: tiles walked by start column, zeroed then filled."""

from numba import float32

from cudalike import cuda


@cuda.jit
def matmul(a, b, c):
    sa = cuda.shared.array((32, 32), float32)
    sb = cuda.shared.array((32, 32), float32)
    x = cuda.threadIdx.x
    y = cuda.threadIdx.y
    row, col = cuda.grid(2)[1], cuda.grid(2)[0]
    total = float32(0)
    for start in range(0, a.shape[1], 32):
        sa[y, x] = float32(0)
        if row < a.shape[0] and start + x < a.shape[1]:
            sa[y, x] = a[row, start + x]
        sb[y, x] = float32(0)
        if start + y < b.shape[0] and col < b.shape[1]:
            sb[y, x] = b[start + y, col]
        cuda.syncthreads()
        for j in range(32):
            total += sa[y, j] * sb[j, x]
        cuda.syncthreads()
    if row < c.shape[0] and col < c.shape[1]:
        c[row, col] = total
