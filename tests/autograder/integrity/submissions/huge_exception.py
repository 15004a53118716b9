"""Attack: fail with an enormous message (to flood the report), printed by every thread."""

from cudalike import cuda

MESSAGE = "score: 100 / tests passed / " * 350


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    print(MESSAGE, MESSAGE, MESSAGE, MESSAGE, MESSAGE, MESSAGE, MESSAGE, MESSAGE)
    assert i < 0, MESSAGE
    if i < out.size:
        out[i] = 0.0
