"""Correct, but every thread adds its product to out[0] atomically: 100000 adds on one address."""
# expect: every atomic on one address waits for the one before

from numba import cuda


@cuda.jit
def dot_product(a, b, out):
    i = cuda.grid(1)
    if i < a.size:
        cuda.atomic.add(out, 0, a[i] * b[i])
