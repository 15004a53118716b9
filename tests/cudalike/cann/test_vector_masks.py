"""The mask register: Counter mode, isSetMask=False, and what the first-n form leaves behind."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors
from tests.cudalike.cann.test_vector_repeat import on_ub

A = np.arange(512, dtype=np.float32) % 13
B = np.arange(512, dtype=np.float32) % 5
PARAMS = cann.BinaryRepeatParams()


def test_counter_mode_processes_count_elements_and_ignores_repeat_times():
    def op(dst, a, b):
        cann.SetMaskCount()
        cann.SetVectorMask(150)
        cann.Add(dst, a, b, cann.MASK_PLACEHOLDER, 1, PARAMS, isSetMask=False)
        cann.SetMaskNorm()
        cann.ResetMask()

    out = on_ub(op, [A, B], np.float32, 512)
    expected = np.full(512, -7.0, np.float32)
    expected[:150] = A[:150] + B[:150]
    np.testing.assert_array_equal(out, expected)


def test_counter_mode_two_word_form_and_strides():
    def op(dst, a):
        cann.SetMaskCount()
        cann.SetVectorMask(0, 100, mode=cann.MaskMode.COUNTER)
        cann.Muls(dst, a, 2.0, 0, 1, cann.UnaryRepeatParams(1, 1, 16, 8), isSetMask=False)
        cann.SetMaskNorm()

    out = on_ub(op, [A], np.float32, 512)
    expected = np.full(512, -7.0, np.float32)
    expected[:64] = A[:64] * 2
    expected[128:164] = A[64:100] * 2
    np.testing.assert_array_equal(out, expected)


def test_a_mask_argument_in_counter_mode_is_refused():
    def op(dst, a, b):
        cann.SetMaskCount()
        cann.SetVectorMask(64)
        cann.Add(dst, a, b, 64, 1, PARAMS)

    with pytest.raises(errors.InstructionError, match="isSetMask=False"):
        on_ub(op, [A, B], np.float32, 512)


def test_normal_mode_register_bits_apply_to_every_repeat():
    def op(dst, a, b):
        cann.SetVectorMask(0, 0b1011)
        cann.Add(dst, a, b, cann.MASK_PLACEHOLDER, 3, PARAMS, isSetMask=False)

    out = on_ub(op, [A, B], np.float32, 512)
    expected = np.full(512, -7.0, np.float32)
    for r in range(3):
        lanes = r * 64 + np.array([0, 1, 3])
        expected[lanes] = A[lanes] + B[lanes]
    np.testing.assert_array_equal(out, expected)


def test_a_mask_argument_stays_in_the_register():
    def op(dst, a, b):
        cann.Add(dst, a, b, 16, 1, PARAMS)
        cann.Sub(dst[64:], a, b, cann.MASK_PLACEHOLDER, 2, PARAMS, isSetMask=False)

    out = on_ub(op, [A, B], np.float32, 512)
    expected = np.full(512, -7.0, np.float32)
    expected[:16] = A[:16] + B[:16]
    expected[64:80] = A[:16] - B[:16]
    expected[128:144] = A[64:80] - B[64:80]
    np.testing.assert_array_equal(out, expected)


def test_the_first_n_form_leaves_normal_mode_with_all_lanes():
    def op(dst, a, b):
        cann.SetMaskCount()
        cann.SetVectorMask(10)
        cann.Adds(dst, a, 0.0, 512)
        cann.Add(dst, a, b, cann.MASK_PLACEHOLDER, 2, PARAMS, isSetMask=False)

    out = on_ub(op, [A, B], np.float32, 512)
    expected = A.copy()
    expected[:128] = A[:128] + B[:128]
    np.testing.assert_array_equal(out, expected)


def test_continuous_len_in_normal_mode_is_checked_against_the_type():
    def op(dst, a, b):
        cann.SetVectorMask(100, dtype=cann.float32)

    with pytest.raises(errors.InstructionError, match="1 to 64 lanes"):
        on_ub(op, [A, B], np.float32, 512)
