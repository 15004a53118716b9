"""Seven reads of global memory per output and no shared tile: right values, but not the task."""

# expect: load the block's elements and halo into cuda.shared.array(134, float32)
# expect: load it into the shared tile once
from numba import cuda


@cuda.jit
def stencil_shared(x, out):
    i = cuda.grid(1)
    n = x.size
    if i < n:
        total = 0.0
        for j in range(i - 3, i + 4):
            if 0 <= j < n:
                total += x[j]
        out[i] = total
