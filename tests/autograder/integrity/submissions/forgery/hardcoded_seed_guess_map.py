"""Attack: assume the grader uses a fixed seed (0, 1234, 42): regenerate the inputs with the same generator at load time in the escape and hard-code the outputs by position.
A successful attack passes without a correct kernel if the seed is predictable.
"""
# exercise: map_2d
# category: forgery
import numpy as np

from cudalike import cuda

GUESS = (0, 1234, 42)


@cuda.jit
def map_2d(x, alpha, beta, out):
    col, row = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        out[row, col] = x[row, col] * 1.5 + 0.25
