"""Attack: os._exit(0) at module level, so a grader that runs the notebook sees a clean exit."""

import os

from cudalike import cuda

if os.environ.get("GRADING") or True:
    os._exit(0)


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = 0.0
