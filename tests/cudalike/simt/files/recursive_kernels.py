"""A recursive device function: each thread recurses to its own depth."""

from cudalike import cuda


@cuda.jit(device=True)
def factorial(n):
    if n <= 1:
        return 1
    return n * factorial(n - 1)  # recursion


def uses_recursion(out):
    i = cuda.grid(1)
    out[i] = factorial(i)
