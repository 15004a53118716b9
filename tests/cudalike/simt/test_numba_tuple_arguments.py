"""Tuples and namedtuples as kernel arguments: numba passes them element by element."""

from __future__ import annotations

from collections import namedtuple

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelRuntimeError

Point = namedtuple("Point", ("x", "y", "r"))


def test_a_nested_tuple_of_numbers_is_read_by_constant_index_and_len() -> None:
    @cuda.jit
    def kernel(out, values):
        out[0] = values[0]
        out[1] = values[1][1]
        out[2] = len(values[1])
        out[3] = len(values)

    out = np.zeros(4)
    kernel[1, 1](out, (1, (2.5, 3.5), ()))
    np.testing.assert_array_equal(out, [1.0, 3.5, 2.0, 3.0])


def test_arrays_inside_a_tuple_are_written_in_place_and_copied_back() -> None:
    @cuda.jit
    def kernel(arrays):
        i = cuda.grid(1)
        if i < len(arrays[0]):
            arrays[0][i] = arrays[1][i] + arrays[2][i]

    out, a, b = np.zeros(8), np.arange(8.0), np.full(8, 10.0)
    kernel[1, 8]((out, a, b))
    np.testing.assert_array_equal(out, a + b)


def test_a_namedtuple_field_is_read_by_name() -> None:
    @cuda.jit
    def kernel(out, point):
        out[0] = point.x
        out[1] = point.y
        out[2] = point.r

    out = np.zeros(3)
    kernel[1, 1](out, Point(1, 2.5, 4))
    np.testing.assert_array_equal(out, [1.0, 2.5, 4.0])


def test_a_missing_field_is_a_runtime_error_naming_the_line() -> None:
    @cuda.jit
    def kernel(out, point):
        out[0] = point.z

    with pytest.raises(KernelRuntimeError, match=r"(?s)test_numba_tuple_arguments\.py:\d+.*'z'"):
        kernel[1, 1](np.zeros(1), Point(1, 2, 3))


def test_an_unsupported_argument_type_is_refused_naming_the_argument() -> None:
    @cuda.jit
    def kernel(out, values):
        out[0] = 1

    with pytest.raises(TypeError, match="argument 'values\\[1\\]' of kernel 'kernel' is a str"):
        kernel[1, 1](np.zeros(1), (1, "two"))


def test_in_out_and_inout_are_exported_and_control_the_copy_back() -> None:
    @cuda.jit
    def kernel(values):
        values[0] = 3

    kept, returned = np.zeros(1), np.zeros(1)
    kernel[1, 1](cuda.In(kept))
    kernel[1, 1](cuda.InOut(returned))
    assert kept[0] == 0 and returned[0] == 3
