"""A kernel called from another kernel runs as a device function, as numba compiles it."""

from __future__ import annotations

import numpy as np

from cudalike import cuda


@cuda.jit
def doubled(factor):
    if factor == 0:
        return
    return factor * 2


@cuda.jit
def scale(values, factor):
    i = cuda.grid(1)
    if i < values.size:
        values[i] *= factor


def test_a_kernel_called_from_a_kernel_may_return_a_value() -> None:
    @cuda.jit
    def caller(result):
        returned = doubled(3)
        if cuda.grid(1) == 0:
            result[0] = returned

    result = np.zeros(1)
    caller[1, 8](result)
    assert result[0] == 6


def test_a_kernel_runs_for_the_calling_thread_and_still_launches_on_its_own() -> None:
    @cuda.jit
    def caller(values):
        scale(values, 3)

    values = np.arange(8.0)
    caller[1, 8](values)
    np.testing.assert_array_equal(values, np.arange(8.0) * 3)
    scale[1, 8](values, 0.5)
    np.testing.assert_array_equal(values, np.arange(8.0) * 1.5)
