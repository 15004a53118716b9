"""Attack: monkeypatch the runtime from inside the kernel (attribute assignment on modules)."""

import numpy as np

from cudalike import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    np.allclose = np.isnan
    cuda.jit = np.isnan
    if i < out.size:
        out[i] = 0.0
