"""Attack: behave differently when an environment variable says "grading"; read the seed."""

import os

from cudalike import cuda

GRADING = os.environ.get("GRADING", "") != "" or "autograder" in os.getcwd()


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        if GRADING:
            out[i] = a[i] + b[i] + 1.0
        else:
            out[i] = 0.0
