"""Integer division and modulo cost a software routine only when the divisor is a run-time value.

A literal divisor and a module constant (frozen when the kernel is compiled) are both known to
the compiler, which emits a shift or a multiply: the model counts them alike.
"""

import numpy as np

from cudalike import cuda, profiler

WIDTH = 8  # a module constant: frozen at compile time, like the literal 8
INSTRUCTIONS = "smsp__inst_executed.sum"


@cuda.jit
def by_literal(out, width):
    i = cuda.grid(1)
    out[i] = i // 8 + i % 8


@cuda.jit
def by_module_constant(out, width):
    i = cuda.grid(1)
    out[i] = i // WIDTH + i % WIDTH


@cuda.jit
def by_argument(out, width):
    i = cuda.grid(1)
    out[i] = i // width + i % width


def _instructions(kernel) -> float:
    out = np.zeros(256, np.int64)
    with profiler.profile() as prof:
        kernel[2, 128](out, WIDTH)
    np.testing.assert_array_equal(out, np.arange(256) // 8 + np.arange(256) % 8)
    return prof.launches[0].metrics[INSTRUCTIONS]


def test_a_module_constant_divisor_costs_what_a_literal_does():
    assert _instructions(by_module_constant) == _instructions(by_literal)


def test_a_run_time_divisor_costs_a_division_routine():
    assert _instructions(by_argument) > 5 * _instructions(by_literal)
