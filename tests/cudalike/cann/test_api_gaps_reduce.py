"""WholeReduceMax/Min's positional order, RepeatReduceSum and AscendCUtils.SetMask."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors
from tests.cudalike.cann.test_vector_repeat import on_ub

X = np.random.default_rng(3).standard_normal(256).astype(np.float16)
XF = X.astype(np.float32)


def test_whole_reduce_max_takes_order_as_eighth_argument():
    def op(dst, x):
        cann.WholeReduceMax(dst, x, 128, 2, 1, 1, 8, cann.ReduceOrder.ORDER_ONLY_VALUE)

    out = on_ub(op, [X], np.float16, 16)
    np.testing.assert_array_equal(out[:2], X.reshape(2, 128).max(axis=1))


def test_whole_reduce_min_positional_order_matches_keyword():
    def positional(dst, x):
        cann.WholeReduceMin(dst, x, 128, 2, 1, 1, 8, cann.ReduceOrder.ORDER_INDEX_VALUE)

    def keyword(dst, x):
        cann.WholeReduceMin(dst, x, 128, 2, 1, 1, 8, order=cann.ReduceOrder.ORDER_INDEX_VALUE)

    np.testing.assert_array_equal(
        on_ub(positional, [X], np.float16, 16), on_ub(keyword, [X], np.float16, 16)
    )


def test_repeat_reduce_sum_sums_each_repeat():
    def op(dst, x):
        cann.RepeatReduceSum(dst, x, 4, 64, 0, 1, 1, 8)

    out = on_ub(op, [XF], np.float32, 8)
    np.testing.assert_allclose(out[:4], XF.reshape(4, 64).sum(axis=1), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(out[4:], np.full(4, -7.0, np.float32))


def test_repeat_reduce_sum_rejects_a_bit_mask():
    def op(dst, x):
        cann.RepeatReduceSum(dst, x, 1, [0, 2**64 - 1], 0, 1, 1, 8)

    with pytest.raises(errors.InstructionError, match="continuous mask"):
        on_ub(op, [XF], np.float32, 8)


@pytest.mark.parametrize("count", [64, 40, 10])
def test_ascendc_utils_set_mask_feeds_is_set_mask_false(count):
    def op(dst, x):
        cann.AscendCUtils.SetMask[cann.float](count)
        cann.WholeReduceSum(dst, x, cann.MASK_PLACEHOLDER, 1, 0, 1, 0, isSetMask=False)

    out = on_ub(op, [XF], np.float32, 8)
    np.testing.assert_allclose(out[0], XF[:count].sum(), rtol=1e-5, atol=1e-5)
