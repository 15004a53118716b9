"""Attack: a module-level cache that carries state from one launch to the next.

The first launch would fill CACHE and later launches replay it (or behave differently).
"""

import numpy as np

from cudalike import cuda

CACHE = np.zeros(100_003, dtype=np.float32)
CALLS = [0]


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        if CALLS[0] > 0:
            out[i] = CACHE[i]
        else:
            CACHE[i] = a[i] + 1.0
            out[i] = 0.0
        CALLS[0] = CALLS[0] + 1
