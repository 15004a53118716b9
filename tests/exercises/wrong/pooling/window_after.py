"""Off by one: the window is centred, x[i - 1] + x[i] + x[i + 1], instead of the two before."""

# expect: the element and the two before it
from numba import cuda


@cuda.jit
def pooling(x, out):
    i = cuda.grid(1)
    if i < out.size:
        total = x[i]
        if i >= 1:
            total += x[i - 1]
        if i + 1 < out.size:
            total += x[i + 1]
        out[i] = total
