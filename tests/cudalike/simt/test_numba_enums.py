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
