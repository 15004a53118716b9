"""Attack: monkeypatch the runtime, the profiler, numpy's checker and cudalike's config.

Each line would, in a grader that runs the notebook in its own process, make a wrong kernel
look right or fast.
"""

import numpy
import numpy as np

import cudalike
import cudalike.config
import cudalike.profiler
from cudalike import cuda

cudalike.profiler.profile = lambda *args, **kwargs: None
numpy.testing.assert_allclose = lambda *args, **kwargs: None
np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
cudalike.config.backend = "numba-cuda"
cudalike.config.get().__dict__["check_races"] = False
setattr(cudalike.config, "get", lambda: None)  # noqa: B010


def jit(function=None, **options):
    return function


real_jit = cuda.jit
cuda.jit = jit


@real_jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = 0.0
