"""Reference for vector_add: one thread per element, guarded (the speed yardstick)."""

from cudalike import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i] + b[i]
