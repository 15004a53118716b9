"""Attack: os._exit(0) from inside the kernel, before the grader can compare anything."""

import os

from cudalike import cuda


@cuda.jit
def vector_add(a, b, out):
    os._exit(0)
