"""WholeReduce*, BlockReduce*, PairReduceSum, Compare and Select against numpy."""

import numpy as np
import pytest

from cudalike import cann, profiler
from cudalike.cann import errors
from tests.cudalike.cann.test_vector_repeat import on_ub
from tests.tolerances import assert_close_reduction

rng = np.random.default_rng(2)
H = (rng.standard_normal(512) * 3).astype(np.float16)
F = (rng.standard_normal(512) * 3).astype(np.float32)
G = (rng.standard_normal(512) * 3).astype(np.float32)


def test_whole_reduce_sum_per_repeat_with_mask():
    out = on_ub(lambda d, s: cann.WholeReduceSum(d, s, 50, 8, 1, 1, 8), [F], np.float32, 16)
    terms = F.reshape(8, 64)[:, :50]
    assert_close_reduction(out[:8], terms.sum(axis=1), np.float32, 50, scale=abs(terms).sum(1))
    assert (out[8:] == -7).all()
    # The newer name is the same instruction; dstRepStride 2 leaves gaps.
    out = on_ub(lambda d, s: cann.ReduceRepeatSum(d, s, 128, 4, 2, 1, 8), [H], np.float16, 8)
    terms = H.reshape(4, 128).astype(np.float32)
    # Summed in half precision: the bound of a 128-term float16 reduction.
    scale = abs(terms).sum(axis=1)
    assert_close_reduction(out[:8:2], terms.sum(axis=1), np.float16, 128, scale=scale)
    assert (out[1:8:2] == -7).all()


def test_whole_reduce_max_min_value_and_index():
    out = on_ub(lambda d, s: cann.WholeReduceMax(d, s, 64, 8, 1, 1, 8), [F], np.float32, 16)
    rows = F.reshape(8, 64)
    np.testing.assert_array_equal(out[0::2], rows.max(axis=1))
    np.testing.assert_array_equal(out.view(np.uint32)[1::2], rows.argmax(axis=1))
    out = on_ub(
        lambda d, s: cann.WholeReduceMin(
            d, s, 128, 4, 1, 1, 8, order=cann.ReduceOrder.ORDER_ONLY_INDEX
        ),
        [H],
        np.float16,
        4,
    )
    np.testing.assert_array_equal(out.view(np.uint16)[:4], H.reshape(4, 128).argmin(axis=1))


@pytest.mark.parametrize(
    "op, ref",
    [(cann.BlockReduceSum, np.sum), (cann.BlockReduceMax, np.max), (cann.BlockReduceMin, np.min)],
)
def test_block_reduce_per_32_bytes(op, ref):
    out = on_ub(lambda d, s: op(d, s, 8, 64, 1, 1, 8), [F], np.float32, 64)
    if op is cann.BlockReduceSum:
        terms = F.reshape(64, 8)
        assert_close_reduction(out, terms.sum(1), np.float32, 8, scale=abs(terms).sum(1))
    else:  # a maximum or minimum is one of the inputs: exact
        np.testing.assert_array_equal(out, ref(F.reshape(64, 8), axis=1))


def test_block_reduce_with_mask_and_alias():
    # mask 20 on halves: block 0 whole (16), block 1 its first 4 lanes; blocks 2-7 untouched.
    out = on_ub(lambda d, s: cann.ReduceDataBlockSum(d, s, 2, 20, 1, 1, 8), [H], np.float16, 16)
    rows = H[:256].reshape(2, 128).astype(np.float32)
    for column, terms in ((0, rows[:, :16]), (1, rows[:, 16:20])):
        sums, scale = terms.sum(axis=1), abs(terms).sum(axis=1)
        length = terms.shape[1]
        assert_close_reduction(out.reshape(2, 8)[:, column], sums, np.float16, length, scale=scale)
    assert (out.reshape(2, 8)[:, 2:] == -7).all()


def test_pair_reduce_sum():
    out = on_ub(lambda d, s: cann.PairReduceSum(d, s, 4, 128, 1, 1, 8), [H], np.float16, 256)
    np.testing.assert_array_equal(out, H.reshape(-1, 2)[:, 0] + H.reshape(-1, 2)[:, 1])


def test_reductions_cost_more_than_an_add():
    with profiler.profile() as prof:
        on_ub(lambda d, s: cann.WholeReduceSum(d, s, 64, 8, 1, 1, 8), [F], np.float32, 8)
        on_ub(lambda d, s, t: cann.Add(d, s, t, 512), [F, G], np.float32, 512)

    def busy(record, name):
        return sum(e.end_cycle - e.start_cycle for e in record.events if e.name == name)

    overhead = 24  # the profile's per-instruction cycles
    reduce_cycles = busy(prof.launches[0], "WholeReduceSum") - overhead
    add_cycles = busy(prof.launches[1], "Add") - overhead
    assert 2 <= reduce_cycles / add_cycles <= 5  # the fact sheet's 2-5x


def test_compare_bits_and_select():
    def kernel_body(d, a, b):
        pipe = cann.TPipe()
        buf = cann.TBuf()
        pipe.InitBuffer(buf, 64)
        bits = buf.Get(cann.uint8)
        cann.Compare(bits, a, b, cann.CMPMODE.LT, 512)
        result["bits"] = bits.numpy()
        cann.Select(d, bits, a, b, cann.SELMODE.VSEL_TENSOR_TENSOR_MODE, 500)

    result = {}
    out = on_ub(kernel_body, [F, G], np.float32, 512)
    np.testing.assert_array_equal(result["bits"], np.packbits(F < G, bitorder="little"))
    expected = np.minimum(F, G)
    np.testing.assert_array_equal(out[:500], expected[:500])
    assert (out[500:] == -7).all()


@pytest.mark.parametrize(
    "mode, ref", [("GE", np.greater_equal), ("NE", np.not_equal), ("EQ", np.equal)]
)
def test_compare_scalar_and_select_scalar(mode, ref):
    def kernel_body(d, a):
        pipe = cann.TPipe()
        buf = cann.TBuf()
        pipe.InitBuffer(buf, 64)
        bits = buf.Get(cann.uint8)
        cann.CompareScalar(bits, a, 0.0, cann.CMPMODE[mode], 512)
        cann.Select(d, bits, a, 0.0, cann.SELMODE.VSEL_TENSOR_SCALAR_MODE, 512)

    out = on_ub(kernel_body, [H], np.float16, 512)
    np.testing.assert_array_equal(out, np.where(ref(H, 0), H, np.float16(0)))


def test_compare_needs_whole_repeats_and_uint8():
    def ragged(d, a, b):
        cann.Compare(d, a, b, cann.CMPMODE.LT, 100)

    with pytest.raises(
        errors.InstructionError, match=r"test_vector_reduce\.py:\d+(.|\n)*multiple of 64"
    ):
        on_ub(ragged, [F, G], np.uint8, 64, fill=0)
    with pytest.raises(errors.InstructionError, match=r"uint8 LocalTensor"):
        on_ub(lambda d, a, b: cann.Compare(d, a, b, cann.CMPMODE.LT, 512), [F, G], np.float32, 64)


def test_reduce_checks():
    with pytest.raises(errors.InstructionError, match=r"repeatTimes=300"):
        on_ub(lambda d, s: cann.WholeReduceSum(d, s, 64, 300, 1, 1, 8), [F], np.float32, 8)
    with pytest.raises(
        errors.GlobalOutOfBoundsError, match=r"writes element 15 of dst, a LocalTensor of 8"
    ):
        on_ub(lambda d, s: cann.BlockReduceSum(d, s, 2, 64, 1, 1, 8), [F], np.float32, 8)
