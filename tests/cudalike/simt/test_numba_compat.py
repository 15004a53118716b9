"""numba.cuda features that numba-cuda's own tests showed missing: each works as in numba.

math.frexp/ldexp/modf/exp2/nextafter/remainder/cbrt, cmath, pow(), DeviceNDArray.flags and
.T, cuda.reduce / cuda.Reduce.
"""

from __future__ import annotations

import cmath
import math

import numpy as np
import pytest

from cudalike import cuda


def test_math_functions_numba_has() -> None:
    @cuda.jit
    def kernel(x, mantissa, exponent, scaled, fraction, whole, others):
        i = cuda.grid(1)
        if i < x.size:
            m, e = math.frexp(x[i])
            mantissa[i] = m
            exponent[i] = e
            scaled[i] = math.ldexp(x[i], 3)
            f, w = math.modf(x[i])
            fraction[i] = f
            whole[i] = w
            others[i, 0] = math.exp2(x[i])
            others[i, 1] = math.nextafter(x[i], 100.0)
            others[i, 2] = math.remainder(x[i], 2.0)
            others[i, 3] = math.cbrt(x[i])

    x = np.array([0.75, 3.5, -5.25, 9.0])
    outs = [np.zeros_like(x) for _ in range(5)]
    others = np.zeros((4, 4))
    kernel[1, 8](x, *outs, others)
    mantissa, exponent, scaled, fraction, whole = outs
    for k, value in enumerate(x):
        assert (mantissa[k], exponent[k]) == math.frexp(value)
        assert scaled[k] == math.ldexp(value, 3)
        assert (fraction[k], whole[k]) == math.modf(value)
        assert others[k, 0] == pytest.approx(math.exp2(value))
        assert others[k, 1] == math.nextafter(value, 100.0)
        assert others[k, 2] == math.remainder(value, 2.0)
        assert others[k, 3] == pytest.approx(math.cbrt(value))


def test_cmath_functions_take_complex_results_from_real_inputs() -> None:
    @cuda.jit
    def kernel(x, out):
        i = cuda.grid(1)
        if i < x.size:
            out[i, 0] = cmath.sqrt(x[i])
            out[i, 1] = cmath.exp(x[i] * 1j)
            out[i, 2] = cmath.log(x[i])
            out[i, 3] = cmath.phase(x[i])

    x = np.array([-1.0, 4.0, -0.25])
    out = np.zeros((3, 4), dtype=np.complex128)
    kernel[1, 4](x, out)
    for k, value in enumerate(x):
        expected = [cmath.sqrt(value), cmath.exp(value * 1j), cmath.log(value), cmath.phase(value)]
        np.testing.assert_allclose(out[k], expected)


def test_pow_builtin() -> None:
    @cuda.jit
    def kernel(x, y, out):
        i = cuda.grid(1)
        if i < x.size:
            out[i] = pow(x[i], y[i])

    x, y = np.array([2.0, 3.0, 1.5]), np.array([10.0, 0.5, -2.0])
    out = np.zeros(3)
    kernel[1, 4](x, y, out)
    np.testing.assert_allclose(out, x**y)


def test_device_array_flags_and_transpose() -> None:
    host = np.arange(6.0).reshape(2, 3)
    device = cuda.to_device(host)
    assert device.flags == {"C_CONTIGUOUS": True, "F_CONTIGUOUS": False}
    assert cuda.to_device(np.asfortranarray(host)).flags["F_CONTIGUOUS"]
    transposed = device.T
    assert transposed.shape == (3, 2) and transposed.flags["C_CONTIGUOUS"]
    np.testing.assert_array_equal(transposed.copy_to_host(), host.T)
    assert device.transpose((0, 1)) is device
    with pytest.raises(NotImplementedError):
        cuda.to_device(np.zeros((2, 2, 2))).transpose()


def test_reduce_and_reduce_class() -> None:
    values = np.arange(1.0, 101.0)
    total = cuda.reduce(lambda a, b: a + b)
    assert total(values) == values.sum()
    assert total(values, size=10, init=3) == values[:10].sum() + 3
    assert total(np.zeros(0)) == 0
    largest = cuda.Reduce(lambda a, b: max(a, b))
    assert largest(cuda.to_device(values)) == 100.0
    result = cuda.to_device(np.zeros(1))
    assert total(values, res=result) is None
    assert result.copy_to_host()[0] == values.sum()


def test_for_over_arrays_enumerate_and_zip() -> None:
    @cuda.jit
    def kernel(x, y, out):
        total = 0.0
        for i, v in enumerate(x):
            total += i * v
        for a, b in zip(x, y):  # noqa: B905 - stops at the shorter array, as in numba
            total += a * b
        for (i, a), b in zip(enumerate(x), y):  # noqa: B905
            total += i + a + b
        for v in y:
            total += v
        out[0] = total

    x, y = np.arange(4.0), np.arange(6.0) + 1
    out = np.zeros(1)
    kernel[1, 1](x, y, out)
    expected = (
        sum(i * v for i, v in enumerate(x))
        + sum(a * b for a, b in zip(x, y, strict=False))
        + sum(i + a + b for (i, a), b in zip(enumerate(x), y, strict=False))
        + y.sum()
    )
    assert out[0] == expected


def test_for_over_other_iterables_is_refused_naming_the_line() -> None:
    from cudalike.errors import UnsupportedConstructError

    with pytest.raises(UnsupportedConstructError, match="for loop over something other"):

        @cuda.jit
        def kernel(out):
            for v in reversed(out):
                out[0] = v
