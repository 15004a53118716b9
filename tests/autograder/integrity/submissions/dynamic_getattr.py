"""Attack: dynamic attribute access, e.g. getattr(cuda, "sync" + "threads"), and eval."""

import numpy as np

from cudalike import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    getattr(cuda, "sync" + "threads")()
    add = getattr(np, "a" + "dd")  # noqa: F841 - used by the eval below
    eval("add(a, b, out)")
    if i < out.size:
        out[i] = 0.0
