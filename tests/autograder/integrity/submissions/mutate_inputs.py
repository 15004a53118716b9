"""Attack: write into the inputs so that a checker computing a + b after the run is fooled.

The kernel zeroes b and writes out = a; afterwards a + b == a == out, although out is not the
sum of the inputs the grader gave.
"""

from cudalike import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i]
        b[i] = 0.0
