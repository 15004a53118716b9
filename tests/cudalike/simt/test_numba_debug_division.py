"""Division by zero in a debug=True kernel raises ZeroDivisionError, as numba's debug mode."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelRuntimeError


def divide(r, x, y):
    r[0] = y[0] / x[0]
    r[1] = y[0] // x[0] + y[0] % x[0]


def test_a_zero_divisor_raises_in_debug_mode_naming_the_line() -> None:
    r = np.zeros(2)
    with pytest.raises(ZeroDivisionError) as caught:
        cuda.jit(debug=True)(divide)[1, 1](r, np.zeros(1), np.ones(1))
    assert isinstance(caught.value, KernelRuntimeError) and caught.value.line


def test_without_debug_a_float_division_by_zero_is_infinite() -> None:
    r = np.zeros(2)
    cuda.jit(divide)[1, 1](r, np.zeros(1), np.ones(1))
    assert np.isinf(r[0])


def test_debug_division_by_nonzero_values_is_ordinary() -> None:
    r = np.zeros(2)
    cuda.jit(debug=True)(divide)[1, 1](r, np.full(1, 2.0), np.full(1, 7.0))
    np.testing.assert_array_equal(r, [3.5, 4.0])


def test_the_error_is_also_the_simulators_floating_point_error() -> None:
    with pytest.raises(FloatingPointError):
        cuda.jit(debug=True)(divide)[1, 1](np.zeros(2), np.zeros(1), np.ones(1))
