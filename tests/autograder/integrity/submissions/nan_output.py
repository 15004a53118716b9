"""Attack: write NaN everywhere, hoping a NaN-tolerant or NaN-propagating comparison passes
(the reference output has no NaN)."""

import math

from cudalike import cuda


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = math.nan
