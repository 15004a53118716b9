"""Instructor solution for matmul_register_blocked: a 4 x 4 square of C per thread, strided.

Thread (y, x) owns rows y + 16 r and columns x + 16 s of the block's 64 x 64 tile (a
contiguous 4 x 4 square would read B's tile with 2-way bank conflicts). Each step stages 64 x 8
of A and 8 x 64 of B (zero outside the matrices), loading a thread's four elements in one
statement, then reuses every value read from shared memory four times from a register.
"""

from numba import float32

from cudalike import cuda


@cuda.jit
def matmul(a, b, c):
    sa = cuda.shared.array((64, 8), float32)
    sb = cuda.shared.array((8, 64), float32)
    results = cuda.local.array((4, 4), float32)
    col_a = cuda.local.array(4, float32)
    row_b = cuda.local.array(4, float32)
    x = cuda.threadIdx.x
    y = cuda.threadIdx.y
    flat = y * 16 + x
    first_row = cuda.blockIdx.y * 64
    first_col = cuda.blockIdx.x * 64
    m = c.shape[0]
    n = c.shape[1]
    inner = a.shape[1]
    for r in range(4):
        for s in range(4):
            results[r, s] = float32(0)
    a_row = first_row + flat // 8
    b_col = first_col + flat % 64
    for start in range(0, inner, 8):
        a_col = start + flat % 8
        b_row = start + flat // 64
        low_a, high_a, low_b, high_b = (
            a[a_row, a_col] if a_row < m and a_col < inner else float32(0),
            a[a_row + 32, a_col] if a_row + 32 < m and a_col < inner else float32(0),
            b[b_row, b_col] if b_row < inner and b_col < n else float32(0),
            b[b_row + 4, b_col] if b_row + 4 < inner and b_col < n else float32(0),
        )
        sa[flat // 8, flat % 8] = low_a
        sa[flat // 8 + 32, flat % 8] = high_a
        sb[flat // 64, flat % 64] = low_b
        sb[flat // 64 + 4, flat % 64] = high_b
        cuda.syncthreads()
        for d in range(8):
            for r in range(4):
                col_a[r] = sa[y + 16 * r, d]
            for s in range(4):
                row_b[s] = sb[d, x + 16 * s]
            for r in range(4):
                for s in range(4):
                    results[r, s] += col_a[r] * row_b[s]
        cuda.syncthreads()
    for r in range(4):
        for s in range(4):
            if first_row + y + 16 * r < m and first_col + x + 16 * s < n:
                c[first_row + y + 16 * r, first_col + x + 16 * s] = results[r, s]
