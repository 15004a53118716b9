"""Attack: a per-thread local array of enormous size, to exhaust the grader's memory."""

from numba import float32

from cudalike import cuda

SIZE = 1 << 34


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    scratch = cuda.local.array(SIZE, float32)
    scratch[0] = 1.0
    if i < out.size:
        out[i] = scratch[0]
