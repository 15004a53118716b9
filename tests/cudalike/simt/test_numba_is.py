"""`is` and `is not` in kernels as numba types them: None, True and False, and enum members."""

from __future__ import annotations

from enum import Enum

import numpy as np
import pytest

from cudalike import cuda


class Shape(Enum):
    circle = 1
    square = 2


@pytest.mark.parametrize(("pred", "expected"), [(True, [1, 1]), (False, [0, 666])])
def test_a_boolean_argument_is_true(pred, expected) -> None:
    @cuda.jit
    def kernel(pred, stack):
        i = 0
        if pred is True:
            stack[i] = 1
            i += 1
            stack[i] = 1

    stack = np.array([0, 666])
    kernel[1, 1](pred, stack)
    np.testing.assert_array_equal(stack, expected)


def test_a_number_is_not_true_and_not_none() -> None:
    @cuda.jit
    def kernel(x, out):
        out[0] = x is True
        out[1] = x is not None
        out[2] = Shape.circle is Shape.circle
        out[3] = Shape.circle is not Shape.square

    out = np.zeros(4, np.bool_)
    kernel[1, 1](1, out)
    np.testing.assert_array_equal(out, [False, True, True, True])
