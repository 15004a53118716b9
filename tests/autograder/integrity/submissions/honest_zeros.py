"""Baseline, not an attack: an honest wrong answer (the kernel writes zeros)."""

from cudalike import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = 0.0
