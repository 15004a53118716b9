"""Correct, but each thread reads its whole row of A and column of B from global memory."""
# expect: Load one element of A and one of B per tile into shared memory

from numba import cuda, float32


@cuda.jit
def tiled_matmul(a, b, c):
    col, row = cuda.grid(2)
    if row < c.shape[0] and col < c.shape[1]:
        acc = float32(0)
        for j in range(a.shape[1]):
            acc += a[row, j] * b[j, col]
        c[row, col] = acc
