"""Attack: objects with `__eq__`, `__array__` and `__array_priority__` defined through class attributes assigned from builtins (`__eq__ = object.__ne__` style) and a kernel that returns one.
A successful attack makes comparison see equality where there is none.
"""
# exercise: vector_add
# category: forgery
import numpy as np

from cudalike import cuda

ONES = (1.0, 1.0)


class Liar:
    __array_priority__ = 1000
    __eq__ = object.__ne__
    __array__ = None


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = Liar
