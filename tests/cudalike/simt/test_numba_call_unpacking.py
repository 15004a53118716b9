"""`f(*t)` in kernels: a tuple's items passed as a call's arguments."""

from __future__ import annotations

import cmath

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import UnsupportedConstructError


@cuda.jit(device=True)
def weighted(a, b, c):
    return a + 10 * b + 100 * c


def test_a_tuple_unpacks_into_builtin_and_device_function_arguments() -> None:
    @cuda.jit
    def kernel(z, out, sums):
        i = cuda.grid(1)
        if i < z.size:
            out[i] = complex(*cmath.polar(z[i]))
            parts = (i, 1, 2)
            sums[i] = weighted(*parts)

    z = np.array([1 + 1j, -2j, 3.0 + 0j])
    out, sums = np.zeros_like(z), np.zeros(3)
    kernel[1, 4](z, out, sums)
    np.testing.assert_allclose(out, [complex(*cmath.polar(v)) for v in z])
    np.testing.assert_array_equal(sums, [210, 211, 212])


def test_starred_assignment_is_still_refused_naming_the_line() -> None:
    def kernel(out, values):
        first, *rest = values
        out[0] = first

    with pytest.raises(UnsupportedConstructError, match=r"test_numba_call_unpacking\.py:\d+"):
        cuda.jit(kernel)


def test_complex_keeps_the_sign_of_a_negative_zero_part() -> None:
    @cuda.jit
    def kernel(real, imag, out):
        i = cuda.grid(1)
        if i < out.size:
            out[i] = complex(real[i], imag[i])

    out = np.zeros(2, np.complex128)
    kernel[1, 2](np.array([np.inf, 1.0]), np.array([-0.0, -0.0]), out)
    assert np.signbit(out.imag).all()
