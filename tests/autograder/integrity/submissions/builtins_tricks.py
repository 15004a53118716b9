"""Attack: reach __import__ and open through __builtins__ and class hierarchies."""

from cudalike import cuda

OS = __builtins__["__import__"]("os")


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    os = __builtins__.__import__("os")
    classes = ().__class__.__base__.__subclasses__()
    if i < out.size:
        out[i] = len(classes) + os.getpid()
