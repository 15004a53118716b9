"""Attack: a real @cuda.jit kernel whose thread 0 does the whole job with numpy."""

import numpy as np

from cudalike import cuda


@cuda.jit
def vector_add(a, b, out):
    if cuda.grid(1) == 0:
        np.add(a, b, out)
