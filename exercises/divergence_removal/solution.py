"""Instructor solution for divergence_removal: no branch at all; the parity picks the constants.

v * 0.999 + 0.5 and v * 1.001 - 0.5 are the same multiply-add with different constants, so every
lane runs one loop with its own scale and shift: the same operations in the same order as the
two-branch version, hence the same float32 results.
"""

from numba import float32

from cudalike import cuda


@cuda.jit
def parity_map(x, out):
    i = cuda.grid(1)
    if i < x.size:
        even = i % 2 == 0
        scale = float32(0.999) if even else float32(1.001)
        shift = float32(0.5) if even else float32(-0.5)
        v = x[i]
        for _ in range(256):
            v = v * scale + shift
        out[i] = v
