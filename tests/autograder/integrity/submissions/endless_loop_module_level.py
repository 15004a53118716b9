"""Attack: an endless loop at module level, to hang a grader that runs the notebook."""

from cudalike import cuda

while True:
    pass


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = 0.0
