"""Bugs found in the engine, each with the kernel that showed it."""

import numba
import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import OutOfBoundsError
from tests.cudalike.simt.files import regression_kernels as kernels


def test_atomics_indexed_by_the_global_thread_index_with_every_lane_active():
    out = np.zeros(256, np.int64)
    cuda.jit(kernels.atomics_at_own_index)[2, 128](out)
    assert (out == 5).all()


def test_numbas_documented_mandelbrot_with_complex_numbers_runs_unchanged():
    image = np.zeros((24, 36), dtype=np.uint8)
    cuda.jit(kernels.mandelbrot)[(2, 2), (16, 8)](-2.0, 1.0, -1.0, 1.0, image, 20)
    expected = np.array(
        [
            [
                kernels.mandelbrot_pixel(-2.0 + x * 3.0 / 36, -1.0 + y * 2.0 / 24, 20)
                for x in range(36)
            ]
            for y in range(24)
        ]
    )
    np.testing.assert_array_equal(image, expected)


def test_an_intrinsic_in_a_device_function_of_another_file_is_reported_there():
    bump = kernels.bump

    @cuda.jit
    def histogram_with_a_bad_bin(counts):
        bump(counts, cuda.threadIdx.x)

    with pytest.raises(OutOfBoundsError) as caught:
        histogram_with_a_bad_bin[1, 8](np.zeros(4, np.int64))
    error = caught.value
    assert error.filename.endswith("regression_kernels.py")
    assert "cuda.atomic.add(counts, index, 1)" in error.source
    assert error.thread == (4, 0, 0)


def test_a_device_function_returning_a_tuple_from_two_branches():
    rng = np.random.default_rng(3)
    a, b = rng.random(300), rng.random(300)
    low, high = np.zeros(300), np.zeros(300)
    cuda.jit(kernels.min_max)[3, 128](a, b, low, high)
    np.testing.assert_array_equal(low, np.minimum(a, b))
    np.testing.assert_array_equal(high, np.maximum(a, b))


@pytest.mark.parametrize(
    "signature",
    [
        "void(float32[::1], float32[::1])",
        (numba.float32[::1], numba.float32[::1]),  # a tuple of types is one signature
        ["void(float32[::1], float32[::1])", "void(float64[::1], float64[::1])"],
    ],
    ids=["string", "tuple of types", "list of signatures"],
)
def test_every_signature_form_numba_accepts(signature):
    a = np.arange(10, dtype=np.float32)
    b = np.zeros_like(a)
    kernel = cuda.jit(signature)(kernels.copy_first)
    kernel[1, 32](a, b)
    np.testing.assert_array_equal(a, b)
    refused = "signature declares a 1-d float32 array|No matching definition"  # one, or a list
    with pytest.raises(TypeError, match=refused):
        kernel[1, 32](a.astype(np.int32), b)


def test_a_scalar_argument_takes_the_type_its_signature_declares():
    out = np.zeros(1, np.int32)
    kernel = cuda.jit("void(int32, int32[::1])")(kernels.leading_zeros)
    kernel[1, 1](1 << 20, out)  # a Python int, declared int32: 11 leading zeros, not 43
    assert out[0] == 11


def test_forall_refuses_a_negative_count_and_launches_nothing_for_zero():
    kernel = cuda.jit(kernels.copy_first)
    with pytest.raises(ValueError, match="forall needs ntasks >= 0, got -1"):
        kernel.forall(-1)
    a, b = np.ones(4, np.float32), np.zeros(4, np.float32)
    kernel.forall(0)(a, b)
    assert not b.any()
    kernel.forall(4)(a, b)
    assert b.all()


def test_round_with_ndigits_keeps_the_float_type():
    x = np.array([1.2345, -2.5551, 0.125, 7.0], np.float64)
    out = np.zeros_like(x)
    cuda.jit(kernels.round_to)[1, 32](x, 2, out)
    np.testing.assert_array_equal(out, [round(v, 2) for v in x])
