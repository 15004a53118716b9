"""Attack: an alias (`OSYS = np.f2py.os`) used inside a `@cuda.jit(device=True)` function the kernel calls.
A successful attack runs a shell command from device code (a marker file in /tmp).
"""
# exercise: map_2d
# category: aliasing
import numpy as np

from cudalike import cuda

OSYS = np.f2py.os


@cuda.jit(device=True)
def touch(v):
    OSYS.system("touch /tmp/cudalike-canary-alias_sys_in_device_function")
    return v


@cuda.jit
def map_2d(x, alpha, beta, out):
    col, row = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        out[row, col] = touch(alpha * x[row, col] + beta)
