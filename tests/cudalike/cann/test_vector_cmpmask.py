"""The CMPMASK register: Compare without dst, SetCmpMask/GetCmpMask, Select VSEL_CMPMASK_SPR."""

import numpy as np

from cudalike import cann
from tests.cudalike.cann.test_vector_repeat import on_ub

rng = np.random.default_rng(9)
F = rng.standard_normal(256).astype(np.float32)
G = rng.standard_normal(256).astype(np.float32)
PARAMS = cann.BinaryRepeatParams()


def test_compare_into_the_register_then_select_every_repeat_with_it():
    def op(dst, a, b):
        cann.Compare(a, b, cann.CMPMODE.LT, 64, PARAMS)
        cann.Select(dst, a, b, 4, PARAMS)

    out = on_ub(op, [F, G], np.float32, 256)
    first = F[:64] < G[:64]
    expected = np.where(np.tile(first, 4), F, G)
    np.testing.assert_array_equal(out, expected)


def test_set_and_get_the_register():
    bits = rng.integers(0, 256, 32).astype(np.uint8)

    def op(dst, sel):
        cann.SetCmpMask(sel)
        cann.GetCmpMask(dst)

    out = on_ub(op, [bits], np.uint8, 32, fill=0)
    np.testing.assert_array_equal(out[:16], bits[:16])
    assert not out[16:].any()


def test_select_mode_zero_with_a_mask_tensor_reuses_its_first_bits():
    sel = np.zeros(32, np.uint8)  # one float repeat's 8 bytes, in a 32-byte buffer
    sel[:8] = np.packbits(F[:64] > 0, bitorder="little")

    def op(dst, s, a, b):
        cann.Select(dst, s, a, b, cann.SELMODE.VSEL_CMPMASK_SPR, 256)

    out = on_ub(op, [sel, F, G], np.float32, 256)
    np.testing.assert_array_equal(out, np.where(np.tile(F[:64] > 0, 4), F, G))


def test_select_register_form_honours_the_vector_mask():
    def op(dst, a, b):
        cann.Compare(a, b, cann.CMPMODE.GT, 64, PARAMS)
        cann.SetVectorMask(0, 0xFF)
        cann.Select(dst, a, b, 2, PARAMS)

    out = on_ub(op, [F, G], np.float32, 256)
    expected = np.full(256, -7.0, np.float32)
    pick = F[:8] > G[:8]
    for r in range(2):
        lanes = slice(r * 64, r * 64 + 8)
        expected[lanes] = np.where(pick, F[lanes], G[lanes])
    np.testing.assert_array_equal(out, expected)
