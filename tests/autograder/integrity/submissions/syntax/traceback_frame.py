"""Attack: reach frames through an exception's traceback (`tb_frame`, `f_back`) by raising and catching in a helper, and through `sys.exc_info()`.
A successful attack reaches the grader's frames and writes a marker file.
"""
# exercise: map_2d
# category: syntax
import numpy as np

from cudalike import cuda


def helper():
    try:
        1 / 0
    except ZeroDivisionError as error:
        frame = error.__traceback__.tb_frame.f_back
        frame.f_globals["__builtins__"]["open"]("/tmp/cudalike-canary-traceback_frame", "w")


@cuda.jit
def map_2d(x, alpha, beta, out):
    col, row = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        out[row, col] = alpha * x[row, col]  # wrong on purpose: no + beta
    if row < 0:
        out[0, 0] = helper
