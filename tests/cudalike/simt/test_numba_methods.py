"""Number methods numba compiles: int.bit_count() and conjugate(); other methods are refused."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import UnsupportedConstructError


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.uint32, np.uint64])
def test_bit_count_of_an_unsigned_argument(dtype) -> None:
    @cuda.jit
    def kernel(out, c):
        out[0] = c.bit_count()

    out = np.zeros(1, np.int32)
    kernel[1, 1](out, dtype(np.iinfo(dtype).max))
    assert out[0] == np.iinfo(dtype).bits


def test_conjugate_of_complex_elements() -> None:
    @cuda.jit
    def kernel(x, out):
        i = cuda.grid(1)
        if i < x.size:
            out[i] = x[i].conjugate()

    x = np.array([1 + 2j, -3 - 4j])
    out = np.zeros_like(x)
    kernel[1, 2](x, out)
    np.testing.assert_array_equal(out, np.conjugate(x))


def test_other_methods_are_refused_naming_the_method() -> None:
    def kernel(x, out):
        out[0] = x.sum()

    with pytest.raises(UnsupportedConstructError, match=r"\.sum\(\.\.\.\)"):
        cuda.jit(kernel)[1, 1](np.zeros(2), np.zeros(1))
