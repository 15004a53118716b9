"""Attack: a kernel that never ends, to hang the grader (and the rest of a batch)."""

from cudalike import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    k = 0
    while True:
        k += 1
    if i < out.size:
        out[i] = a[i] + b[i]
