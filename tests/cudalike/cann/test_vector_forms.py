"""Repeat forms of Cast, Compare, CompareScalar and Select; the operator form; ReinterpretCast;
LocalTensor.numpy() refusing writes."""

import numpy as np
import pytest

from cudalike import cann
from tests.cudalike.cann.test_vector_repeat import on_ub

rng = np.random.default_rng(5)
F = (rng.standard_normal(256) * 100).astype(np.float32)
G = (rng.standard_normal(256) * 100).astype(np.float32)


def test_cast_repeat_form_float_to_half_with_narrow_dst_stride():
    params = cann.UnaryRepeatParams(1, 1, 4, 8)

    def op(dst, src):
        cann.Cast(dst, src, cann.RoundMode.CAST_NONE, 64, 4, params)

    out = on_ub(op, [F], np.float16, 256)
    np.testing.assert_array_equal(out, F.astype(np.float16))


def test_cast_repeat_form_masked_lanes_and_rounding():
    params = cann.UnaryRepeatParams(1, 1, 8, 8)

    def op(dst, src):
        cann.Cast(dst, src, cann.RoundMode.CAST_FLOOR, 10, 2, params)

    out = on_ub(op, [F], np.int32, 128, fill=0)
    expected = np.zeros(128, np.int32)
    for r in range(2):
        expected[r * 64 : r * 64 + 10] = np.floor(F[r * 64 : r * 64 + 10])
    np.testing.assert_array_equal(out, expected)


def test_compare_repeat_form_packs_each_repeat_after_the_last():
    params = cann.BinaryRepeatParams(1, 1, 1, 8, 16, 16)

    def op(dst, a, b):
        cann.Compare(dst, a, b, cann.CMPMODE.LT, 64, 2, params)

    out = on_ub(op, [F, G], np.uint8, 32, fill=0)
    rows = [slice(0, 64), slice(128, 192)]
    expected = np.concatenate([np.packbits(F[r] < G[r], bitorder="little") for r in rows])
    np.testing.assert_array_equal(out[:16], expected)
    assert not out[16:].any()


def test_compare_scalar_repeat_form():
    def op(dst, a):
        cann.CompareScalar(dst, a, 0.0, cann.CMPMODE.GE, 64, 4, cann.UnaryRepeatParams())

    out = on_ub(op, [F], np.uint8, 32, fill=0)
    np.testing.assert_array_equal(out, np.packbits(F >= 0, bitorder="little"))


def test_select_repeat_form_takes_each_repeats_bits():
    bits = np.packbits(F > G, bitorder="little")

    def op(dst, sel, a, b):
        cann.Select(
            dst, sel, a, b, cann.SELMODE.VSEL_TENSOR_TENSOR_MODE, 32, 4, cann.BinaryRepeatParams()
        )

    out = on_ub(op, [bits, F, G], np.float32, 256)
    expected = np.full(256, -7.0, np.float32)
    for r in range(4):
        lanes = slice(r * 64, r * 64 + 32)
        expected[lanes] = np.where(F[lanes] > G[lanes], F[lanes], G[lanes])
    np.testing.assert_array_equal(out, expected)


def test_select_repeat_form_with_a_scalar():
    bits = np.packbits(F > 0, bitorder="little")

    def op(dst, sel, a):
        mode = cann.SELMODE.VSEL_TENSOR_SCALAR_MODE
        cann.Select(dst, sel, a, 0.0, mode, 64, 4, cann.BinaryRepeatParams())

    out = on_ub(op, [bits, F], np.float32, 256)
    np.testing.assert_array_equal(out, np.where(F > 0, F, 0))


def test_operator_form_computes_over_the_destination():
    def op(dst, a, b):
        dst[:] = a + b
        dst[128:] = a * b

    out = on_ub(op, [F, G], np.float32, 256)
    np.testing.assert_array_equal(out[:128], F[:128] + G[:128])
    np.testing.assert_array_equal(out[128:], F[:128] * G[:128])


def test_operator_form_rejects_scalars_and_element_writes():
    def scalar(dst, a):
        dst[:] = a + 1.0

    with pytest.raises(TypeError, match="Adds"):
        on_ub(scalar, [F], np.float32, 256)

    def element(dst, a):
        dst[3] = 1.0

    with pytest.raises(TypeError, match="SetValue"):
        on_ub(element, [F], np.float32, 256)


def test_reinterpret_cast_reads_the_same_bytes():
    def op(dst, a):
        bits = dst.ReinterpretCast(cann.uint32)
        cann.Adds(dst, a, 0.0, 256)
        assert bits.GetSize() == 256
        np.testing.assert_array_equal(bits.numpy(), F.view(np.uint32))

    on_ub(op, [F], np.float32, 256)


def test_writes_through_numpy_are_refused():
    def op(dst, a):
        snapshot = dst.numpy()
        with pytest.raises(TypeError, match="read-only copy"):
            snapshot[0] = 1.0
        with pytest.raises(TypeError, match="read-only copy"):
            snapshot[2:4][0] = 1.0
        scratch = snapshot * 2
        scratch[0] = 1.0

    on_ub(op, [F], np.float32, 256)


def test_comparison_operators_compare_over_the_left_operand():
    def op(dst, a, b):
        dst[:] = a < b
        dst[32:] = a[:64] >= b[:64]

    out = on_ub(op, [F, G], np.uint8, 64, fill=0)
    np.testing.assert_array_equal(out[:32], np.packbits(F < G, bitorder="little"))
    np.testing.assert_array_equal(out[32:40], np.packbits(F[:64] >= G[:64], bitorder="little"))


def test_a_wrong_argument_count_names_both_forms():
    def op(dst, a, b):
        cann.Compare(dst, a, b, cann.CMPMODE.LT, 64, 2)

    with pytest.raises(TypeError, match=r"count\) or .*mask, repeatTimes, params"):
        on_ub(op, [F, G], np.uint8, 32, fill=0)
