"""Enum and IntEnum members in kernels: constants, IntEnum members usable as ints (numba)."""

from __future__ import annotations

from enum import Enum, IntEnum

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import UnsupportedConstructError


class Color(Enum):
    red = 1
    green = 2


class RequestError(IntEnum):
    not_found = 404
    internal_error = 500


def test_members_by_attribute_and_by_name_compare() -> None:
    @cuda.jit
    def kernel(out):
        out[0] = Color.red == Color.green
        out[1] = Color["red"] == Color["red"]

    out = np.zeros(2, np.bool_)
    kernel[1, 1](out)
    np.testing.assert_array_equal(out, [False, True])


@pytest.mark.parametrize("x", [300, 450, 550])
def test_int_enum_members_are_ints(x) -> None:
    @cuda.jit
    def kernel(x, out):
        if x > RequestError.internal_error:
            out[0] = x - RequestError.not_found
        else:
            out[0] = x + RequestError.not_found

    out = np.zeros(1, np.int32)
    kernel[1, 1](x, out)
    expected = x - 404 if x > 500 else x + 404
    assert out[0] == expected


def test_a_member_that_does_not_exist_is_refused_naming_it() -> None:
    def kernel(out):
        out[0] = RequestError.teapot

    with pytest.raises(UnsupportedConstructError, match="RequestError.teapot"):
        cuda.jit(kernel)[1, 1](np.zeros(1))


def test_plain_enum_members_are_passed_and_compared() -> None:
    class Shape(Enum):
        circle = 1
        square = 2

    @cuda.jit
    def kernel(a, b, out):
        out[0] = a == b
        out[1] = a != b
        out[2] = a is b

    out = np.zeros(3, np.bool_)
    kernel[1, 1](Shape.circle, Shape.square, out)
    np.testing.assert_array_equal(out, [False, True, False])
    kernel[1, 1](Shape.square, Shape.square, out)
    np.testing.assert_array_equal(out, [True, False, True])


def test_members_of_two_enums_are_not_the_same_object_even_with_equal_values() -> None:
    class Small(IntEnum):
        one = 1

    class Other(IntEnum):
        one = 1

    @cuda.jit
    def kernel(a, b, out):
        out[0] = a == b
        out[1] = a is b

    out = np.zeros(2, np.bool_)
    kernel[1, 1](Small.one, Other.one, out)
    np.testing.assert_array_equal(out, [True, False])
