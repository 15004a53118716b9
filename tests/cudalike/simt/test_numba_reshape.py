"""`a.reshape(shape)` in kernels: the same elements seen with another shape."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelRuntimeError


def test_a_reshaped_array_is_read_with_its_new_shape() -> None:
    @cuda.jit
    def kernel(values, shape, out):
        y = values.reshape(shape)
        for i in range(y.shape[0]):
            for j in range(y.shape[1]):
                out[i, j] = y[i, j]

    values = np.arange(24).reshape(1, 8, 1, 3)
    for shape in ((4, 6), (8, -1)):
        expected = values.reshape(shape)
        out = np.zeros(expected.shape, values.dtype)
        kernel[1, 1](values, shape, out)
        np.testing.assert_array_equal(out, expected)


def test_reshape_in_a_loop_and_with_separate_dimensions() -> None:
    @cuda.jit
    def kernel(out, values):
        for _ in range(1):
            values = values.reshape(3 * 2)
            values = values.reshape(3, 2)
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                out[i, j] = values[i, j]

    values = np.arange(6.0).reshape(3, 2)
    out = np.zeros((3, 2))
    kernel[1, 1](out, values)
    np.testing.assert_array_equal(out, values)


def test_a_shape_of_another_size_is_a_runtime_error_naming_the_line() -> None:
    @cuda.jit
    def kernel(values, out):
        y = values.reshape(5)
        out[0] = y[0]

    with pytest.raises(KernelRuntimeError, match=r"(?s)test_numba_reshape\.py:\d+.*6 elements"):
        kernel[1, 1](np.zeros(6), np.zeros(1))
