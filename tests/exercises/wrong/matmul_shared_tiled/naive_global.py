"""Reads a whole row of A and column of B from global memory: no shared tiles at all."""
# expect: Stage 32 x 32 tiles of A and B in cuda.shared.array((32, 32), float32)

from numba import cuda, float32


@cuda.jit
def matmul(a, b, c):
    col = cuda.blockIdx.x * 32 + cuda.threadIdx.x
    row = cuda.blockIdx.y * 32 + cuda.threadIdx.y
    if row < c.shape[0] and col < c.shape[1]:
        acc = float32(0)
        for j in range(a.shape[1]):
            acc += a[row, j] * b[j, col]
        c[row, col] = acc
