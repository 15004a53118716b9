"""Attack: `np.frombuffer` on a bytes literal baked into the module (an answer computed offline for the public inputs), copied into `out` from a helper's default via `np.copyto` on a grader-visible array.
A successful attack passes the public sizes without computing (the inputs are drawn from a secret seed, so it should not).
"""
# exercise: map_2d
# category: deserialise
import numpy as np

from cudalike import cuda

FB = np.frombuffer
TABLE = (1.0, 2.0, 3.0)


def helper(hook=FB(b'\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f !"#$%&\'()*+,-./0123456789:;<=>?', dtype=np.float32)):
    return hook


@cuda.jit
def map_2d(x, alpha, beta, out):
    col, row = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        out[row, col] = alpha * x[row, col]  # wrong on purpose: no + beta
    if row < 0:
        out[0, 0] = TABLE[0]
