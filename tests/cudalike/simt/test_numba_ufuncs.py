"""numpy ufuncs in kernels as numba compiles them: on numbers, and with output arrays."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelRuntimeError, OutOfBoundsError


def test_a_ufunc_with_an_output_array_fills_it_from_each_element() -> None:
    @cuda.jit
    def kernel(x, out):
        np.arccos(x, out)

    x = np.array([-0.5, 0.0, 0.5])
    out = np.zeros(3)
    kernel[1, 1](x, out)
    np.testing.assert_allclose(out, np.arccos(x))


def test_a_scalar_input_broadcasts_over_the_output() -> None:
    @cuda.jit
    def kernel(a, b, out):
        np.logical_xor(a, b, out)

    out = np.zeros(4, np.bool_)
    kernel[1, 1](np.int64(1), np.array([0, 1, 2, 0]), out)
    np.testing.assert_array_equal(out, [True, False, False, True])


def test_two_dimensional_inputs_and_an_integer_ufunc() -> None:
    @cuda.jit
    def kernel(a, b, out):
        np.bitwise_and(a, b, out)

    a = np.arange(6, dtype=np.int32).reshape(2, 3)
    out = np.zeros((2, 3), np.int32)
    kernel[1, 1](a, np.int32(3), out)
    np.testing.assert_array_equal(out, a & 3)


@pytest.mark.parametrize("name", ["deg2rad", "rad2deg", "arcsinh", "invert"])
def test_ufuncs_numba_supports_are_callable_on_numbers(name) -> None:
    ufunc = getattr(np, name)

    @cuda.jit
    def kernel(x, out):
        i = cuda.grid(1)
        if i < x.size:
            out[i] = ufunc(x[i])

    x = np.arange(1, 5, dtype=np.int64) if name == "invert" else np.linspace(0.5, 2.0, 4)
    out = np.zeros_like(x)
    kernel[1, 4](x, out)
    np.testing.assert_allclose(out, ufunc(x))


def test_two_argument_ufuncs_on_numbers() -> None:
    @cuda.jit
    def kernel(x, out):
        i = cuda.grid(1)
        if i < x.size:
            out[i, 0] = np.fmax(x[i], 1.0)
            out[i, 1] = np.fmin(x[i], 1.0)

    x = np.array([0.5, np.nan, 2.0])
    out = np.zeros((3, 2))
    kernel[1, 4](x, out)
    np.testing.assert_array_equal(out, np.stack([np.fmax(x, 1.0), np.fmin(x, 1.0)], axis=1))


def test_an_output_too_small_for_the_input_is_out_of_bounds() -> None:
    @cuda.jit
    def kernel(x, out):
        np.sin(x, out)

    with pytest.raises(OutOfBoundsError):
        kernel[1, 1](np.ones(2), np.zeros((3,)))


def test_a_number_as_the_output_is_a_runtime_error() -> None:
    @cuda.jit
    def kernel(x, out):
        np.sin(x[0], out[0])

    with pytest.raises(KernelRuntimeError, match="output must be an array"):
        kernel[1, 1](np.ones(2), np.zeros(2))


def test_a_kernel_renamed_after_definition_still_launches() -> None:
    def fn(x, out):
        np.cos(x, out)

    fn.__name__ = "cos_usecase"
    kernel = cuda.jit(fn)
    out = np.zeros(2)
    kernel[1, 1](np.zeros(2), out)
    np.testing.assert_array_equal(out, [1.0, 1.0])
