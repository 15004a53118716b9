"""ReduceSum/Max/Min: the mask form, calIndex, and the repeat forms of WholeReduce in order."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors
from tests.cudalike.cann.test_vector_repeat import on_ub

rng = np.random.default_rng(3)
X = rng.permutation(512).astype(np.float32)


def _reduce(op, src, length=16, **kw):
    def body(dst, x):
        work = dst[8:]
        op(dst, x, work, **kw)

    return on_ub(body, [src], src.dtype, length)


def test_mask_form_reduces_the_enabled_lanes_of_every_repeat():
    out = _reduce(lambda d, x, w: cann.ReduceSum(d, x, w, 10, 4, 8), X)
    assert out[0] == X.reshape(8, 64)[:4, :10].sum()


def test_mask_form_with_bit_mask_and_repeat_stride():
    out = _reduce(lambda d, x, w: cann.ReduceMax(d, x, w, [0b101, 0], 3, 16), X)
    assert out[0] == X.reshape(8, 64)[[0, 2, 4]][:, [0, 2]].max()


def test_cal_index_writes_the_position_in_the_element_bits():
    out = _reduce(lambda d, x, w: cann.ReduceMax(d, x, w, 512, True), X)
    assert out[0] == 511
    assert out[1:2].view(np.uint32)[0] == int(np.argmax(X))
    out = _reduce(lambda d, x, w: cann.ReduceMin(d, x, w, 512, calIndex=True), X)
    assert out[0] == 0
    assert out[1:2].view(np.uint32)[0] == int(np.argmin(X))


def test_cal_index_of_the_mask_form_counts_repeats_of_whole_lanes():
    half = X.astype(np.float16)
    out = _reduce(lambda d, x, w: cann.ReduceMin(d, x, w, 64, 4, 8, True), half, length=32)
    values = half.reshape(4, 128)[:, :64]
    repeat, lane = np.unravel_index(np.argmin(values), values.shape)
    assert out[0] == values.min()
    assert out[1:2].view(np.uint16)[0] == repeat * 128 + lane


def test_first_n_reduce_sum_still_sums():
    out = _reduce(lambda d, x, w: cann.ReduceSum(d, x, w, 300), X)
    assert out[0] == X[:300].sum()


def test_whole_reduce_sum_into_its_own_source_runs_in_order():
    # every repeat reads src[0:64] (srcRepStride 0) and repeat r writes dst[r] over it: each
    # repeat sums what the earlier ones wrote
    def body(dst):
        cann.Duplicate(dst, 1.0, 256)
        cann.WholeReduceSum(dst, dst, 64, 3, 1, 1, 0)

    out = on_ub(body, [], np.float32, 256)
    assert list(out[:3]) == [64.0, 63.0 + 64.0, 62.0 + 64.0 + 127.0]


def test_reductions_write_results_at_their_own_alignment():
    def body(dst, x):
        cann.WholeReduceSum(dst[2:], x, 64, 2, 1, 1, 8)  # 8 bytes in: fine for float
        cann.ReduceMax(dst[6:], x, dst[8:], 128)
        cann.BlockReduceSum(dst[8:], x, 1, 64, 1, 1, 8)  # 32 bytes in

    out = on_ub(body, [X], np.float32, 16)
    np.testing.assert_array_equal(out[2:4], X[:128].reshape(2, 64).sum(axis=1))
    assert out[6] == X[:128].max()
    np.testing.assert_array_equal(out[8:16], X[:64].reshape(8, 8).sum(axis=1))

    def misaligned(dst, x):
        cann.WholeReduceSum(dst[1:], x, 64, 1, 1, 1, 8)

    with pytest.raises(errors.AlignmentError, match="multiples of 8 bytes"):
        on_ub(misaligned, [X], np.float32, 16)
