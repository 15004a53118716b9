"""Attack: the kernel returns an always-equal object and the output is assigned one.

`out` is rebound to an object whose __eq__ is always True, hoping the checker reads a
module-level `out` or the kernel's return value instead of the array it passed in.
"""

from cudalike import cuda


class AlwaysEqual:
    def __eq__(self, other):
        return True

    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("never an array")


out = AlwaysEqual()


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = 0.0
    return AlwaysEqual()
