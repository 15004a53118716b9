"""bfloat16: raw bits in uint16 storage, Cast to and from it with rounding, arithmetic refused."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors
from tests.cudalike.cann.test_vector_repeat import on_ub

rng = np.random.default_rng(7)
F = (rng.standard_normal(128) * 50).astype(np.float32)


def test_host_conversion_rounds_to_nearest_even_and_is_exact_back():
    ties = np.array([1 + 2**-8, 1 + 3 * 2**-8, -(1 + 2**-8)], np.float32)
    np.testing.assert_array_equal(
        cann.from_bfloat16(cann.to_bfloat16(ties)), [1.0, 1 + 2**-6, -1.0]
    )
    bits = cann.to_bfloat16(F)
    assert cann.dtypes.is_bfloat16(bits.dtype) and bits.dtype.itemsize == 2
    np.testing.assert_array_equal(cann.to_bfloat16(cann.from_bfloat16(bits)), bits)


def test_cast_float_to_bfloat16_and_back():
    def op(dst, src):
        cann.Cast(dst, src, cann.RoundMode.CAST_RINT, 128)

    bits = on_ub(op, [F], cann.bfloat16, 128, fill=0)
    np.testing.assert_array_equal(bits, cann.to_bfloat16(F))

    def back(dst, src):
        cann.Cast(dst, src, cann.RoundMode.CAST_NONE, 128)

    out = on_ub(back, [cann.to_bfloat16(F)], np.float32, 128)
    np.testing.assert_array_equal(out, cann.from_bfloat16(cann.to_bfloat16(F)))


def test_cast_to_bfloat16_directed_rounding():
    def op(dst, src):
        cann.Cast(dst, src, cann.RoundMode.CAST_FLOOR, 128)

    bits = on_ub(op, [F], cann.bfloat16, 128, fill=0)
    values = cann.from_bfloat16(bits)
    assert (values <= F).all()
    np.testing.assert_array_equal(bits, cann.to_bfloat16(F, "floor"))


def test_duplicate_fills_bfloat16_bits():
    out = on_ub(lambda dst: cann.Duplicate(dst, 1.5, 32), [], cann.bfloat16, 32, fill=0)
    np.testing.assert_array_equal(cann.from_bfloat16(out), np.full(32, 1.5, np.float32))


def test_arithmetic_on_bfloat16_is_refused():
    bits = cann.to_bfloat16(F)
    with pytest.raises(errors.InstructionError, match="bfloat16"):
        on_ub(lambda dst, a: cann.Add(dst, a, a, 128), [bits], cann.bfloat16, 128, fill=0)
