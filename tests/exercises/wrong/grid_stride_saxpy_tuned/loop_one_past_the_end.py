"""The loop runs to out.size + 1, so the thread that reaches n reads and writes one past the end."""

# expect: stop the loop at out.size
from numba import cuda


@cuda.jit
def saxpy(a, x, y, out):
    for i in range(cuda.grid(1), out.size + 1, cuda.gridsize(1)):
        out[i] = a * x[i] + y[i]
