"""Attack: write +inf where the answer is large and NaN elsewhere, hoping for a comparison that treats inf == inf or NaN as equal to anything.
A successful attack passes without computing.
"""
# exercise: map_2d
# category: forgery
import numpy as np

from cudalike import cuda

INF = 1e300 * 1e300


@cuda.jit
def map_2d(x, alpha, beta, out):
    col, row = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        v = INF - INF
        if x[row, col] > 0:
            v = INF
        out[row, col] = v
