"""A kernel compiled for a list of signatures, and launch mistakes raised as numba raises them."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import LaunchConfigError


def add(r, x, y):
    r[0] = x + y


def test_each_launch_uses_the_signature_its_arguments_fit() -> None:
    kernel = cuda.jit(["(int64[::1], int64, int64)", "(float64[::1], float64, float64)"])(add)
    ints, floats = np.zeros(1, np.int64), np.zeros(1)
    kernel[1, 1](ints, 1, 2)
    kernel[1, 1](floats, 1.5, 2.5)
    assert ints[0] == 3 and floats[0] == 4.0


def test_exact_scalar_types_win_over_conversions() -> None:
    kernel = cuda.jit(["(float64[::1], float32, float32)", "(float64[::1], float64, float64)"])(add)
    out = np.zeros(1)
    kernel[1, 1](out, np.float32(1), np.float32(2**-25))
    assert out[0] == 1.0  # float32 arithmetic loses the small term
    kernel[1, 1](out, 1, 2**-25)
    assert out[0] == 1.0000000298023224


def test_arguments_no_signature_fits_are_refused() -> None:
    kernel = cuda.jit(["(int64[::1], int64, int64)", "(float64[::1], float64, float64)"])(add)
    with pytest.raises(TypeError, match="No matching definition"):
        kernel[1, 1](np.zeros(1, np.complex128), 1j, 1j)


def test_launch_dimensions_are_checked_when_the_kernel_is_configured() -> None:
    kernel = cuda.jit(add)
    with pytest.raises(
        ValueError, match=r"griddim must be a sequence of 1, 2 or 3 integers, got \[1, 2, 3, 4\]"
    ):
        kernel[(1, 2, 3, 4), 32]
    with pytest.raises(TypeError, match=r"blockdim must be a sequence of integers, got \[3.0\]"):
        kernel[2, 3.0]
    with pytest.raises(LaunchConfigError):
        kernel[2, 3.0]


def test_a_kernel_called_without_a_configuration_is_a_value_error() -> None:
    kernel = cuda.jit(add)
    with pytest.raises(ValueError, match="launch configuration was not specified"):
        kernel(np.zeros(1), 1, 2)
