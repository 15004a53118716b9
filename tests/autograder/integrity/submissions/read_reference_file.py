"""Attack: read the exercise's reference and exercise.toml from inside the kernel."""

from cudalike import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    source = open("exercises/vector_add/reference.py").read()
    spec = open("exercises/vector_add/exercise.toml").read()
    if i < out.size:
        out[i] = len(source) + len(spec)
