"""LeakyRelu, AddRelu, Axpy (both forms, half into float) and Compares."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors
from tests.cudalike.cann.test_vector_repeat import on_ub

rng = np.random.default_rng(5)
A = rng.standard_normal(256).astype(np.float16)
B = rng.standard_normal(256).astype(np.float16)


def test_leaky_relu_first_n_and_repeat_form():
    first_n = on_ub(lambda d, a: cann.LeakyRelu(d, a, 0.5, 256), [A], np.float16, 256)
    want = np.where(A >= 0, A, A * np.float16(0.5))
    np.testing.assert_array_equal(first_n, want)
    params = cann.UnaryRepeatParams(1, 1, 8, 8)
    repeat = on_ub(lambda d, a: cann.LeakyRelu(d, a, 0.5, 64, 2, params), [A], np.float16, 256)
    for r in range(2):
        lanes = slice(r * 128, r * 128 + 64)
        np.testing.assert_array_equal(repeat[lanes], want[lanes])
        np.testing.assert_array_equal(repeat[r * 128 + 64 : r * 128 + 128], -7.0)


def test_add_relu_rounds_the_sum_then_clamps():
    out = on_ub(lambda d, a, b: cann.AddRelu(d, a, b, 256), [A, B], np.float16, 256)
    np.testing.assert_array_equal(out, np.maximum(A + B, np.float16(0)))


def test_axpy_first_n_accumulates_into_dst():
    out = on_ub(lambda d, a: cann.Axpy(d, a, 2.0, 256), [A], np.float16, 256, fill=1.0)
    np.testing.assert_array_equal(out, (A * np.float16(2.0) + np.float16(1.0)).astype(np.float16))


def test_axpy_repeat_form_half_into_float():
    params = cann.UnaryRepeatParams(1, 1, 8, 4)
    out = on_ub(
        lambda d, a: cann.Axpy(d, a, cann.half(2.0), 64, 4, params), [A], np.float32, 256, fill=1.0
    )
    np.testing.assert_allclose(out, A.astype(np.float32) * 2 + 1, rtol=1e-6)


def test_axpy_rejects_float_into_half():
    af = A.astype(np.float32)
    with pytest.raises(errors.InstructionError, match="half into float"):
        on_ub(lambda d, a: cann.Axpy(d, a, 2.0, 64), [af], np.float16, 256)


def test_compares_is_compare_scalar():
    def op(dst, a):
        cann.Compares(dst, a, cann.half(0.0), cann.CMPMODE.LT, 256)

    out = on_ub(op, [A], np.uint8, 32, fill=0)
    np.testing.assert_array_equal(np.unpackbits(out, bitorder="little").astype(bool), A < 0)
