"""A recursive device function, kept apart: cudalike may reject it as soon as it is decorated."""

from cudalike import cuda


@cuda.jit(device=True)
def factorial(n):
    if n <= 1:
        return 1
    return n * factorial(n - 1)  # UNSUPPORTED: recursion


def uses_recursion(out):
    i = cuda.grid(1)
    out[i] = factorial(i)
