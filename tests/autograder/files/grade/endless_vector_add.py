"""Never finishes: an endless loop in every thread."""

from cudalike import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    while True:
        i = i + 0
