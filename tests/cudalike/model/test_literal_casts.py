"""A cast of a literal (`float32(0.5)`) is a constant the compiler folds: it issues nothing.

Writing float32 constants this way is the recommended style for float32 kernels, so the model
must not charge it; a cast of a run-time value is a real conversion and keeps its instruction.
"""

import numpy as np
from numba import float32

from cudalike import cuda, profiler

INSTRUCTIONS = "smsp__inst_executed.sum"


@cuda.jit
def plain_literals(a, out):
    i = cuda.grid(1)
    out[i] = a[i] * 0.5 + 1.0


@cuda.jit
def cast_literals(a, out):
    i = cuda.grid(1)
    out[i] = a[i] * float32(0.5) + float32(-1.0)


@cuda.jit
def cast_of_a_value(a, out):
    i = cuda.grid(1)
    out[i] = float32(a[i]) * float32(0.5) + float32(-1.0)


def _instructions(kernel) -> float:
    a = np.arange(256, dtype=np.float32)
    out = np.zeros(256, np.float32)
    with profiler.profile() as prof:
        kernel[2, 128](a, out)
    return prof.launches[0].metrics[INSTRUCTIONS]


def test_a_cast_literal_costs_what_a_plain_literal_does():
    assert _instructions(cast_literals) == _instructions(plain_literals)


def test_a_cast_of_a_run_time_value_still_costs_an_instruction():
    assert _instructions(cast_of_a_value) > _instructions(cast_literals)
