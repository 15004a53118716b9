"""Attack: find the expected output by introspection (sys._getframe, inspect, gc)."""

import gc
import inspect
import sys

from cudalike import cuda

FRAMES = sys._getframe(0)
OBJECTS = gc.get_objects()


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    expected = sys._getframe(2).f_locals["expected"]
    caller = inspect.stack()[1]
    if i < out.size:
        out[i] = expected[i] + len(caller) + len(gc.get_objects())
