"""Attack: a huge allocation at module level, and a huge module-level constant."""

import numpy as np

from cudalike import cuda

BOMB = np.ones(1 << 40, dtype=np.uint8)
BIG = 10**10**10
ROWS = (0,) * (1 << 40)


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = 0.0
