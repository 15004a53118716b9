"""Repeat-form instructions issue their repeats in order: overlapping and zero strides."""

import types

import numpy as np

from cudalike import cann
from cudalike.cann import vector_repeat
from tests.cudalike.cann.test_vector_repeat import on_ub

ROWS = np.arange(6 * 64, dtype=np.float32).reshape(6, 64) % 7


def test_zero_strides_accumulate_every_repeat():
    params = cann.BinaryRepeatParams(1, 1, 1, 0, 8, 0)

    def op(work, src):
        cann.Duplicate(work, 0.0, 64)
        cann.Add(work, src, work, 64, 6, params)

    out = on_ub(op, [ROWS.ravel()], np.float32, 64)
    np.testing.assert_array_equal(out, ROWS.sum(axis=0))


def test_a_repeat_reads_what_the_previous_one_wrote():
    def op(dst):
        cann.Adds(dst[64:], dst, 1.0, 64, 3, cann.UnaryRepeatParams())

    out = on_ub(op, [], np.float32, 256, fill=-7.0)
    np.testing.assert_array_equal(out, np.repeat([-7.0, -6.0, -5.0, -4.0], 64))


def test_zero_dst_repeat_stride_keeps_the_last_repeat():
    def op(dst, src):
        cann.Muls(dst, src, 2.0, 64, 6, cann.UnaryRepeatParams(1, 1, 0, 8))

    out = on_ub(op, [ROWS.ravel()], np.float32, 64)
    np.testing.assert_array_equal(out, ROWS[-1] * 2)


def test_max_accumulates_with_zero_strides():
    params = cann.BinaryRepeatParams(1, 1, 1, 0, 8, 0)

    def op(work, src):
        cann.Duplicate(work, -100.0, 64)
        cann.Max(work, src, work, 64, 6, params)

    out = on_ub(op, [ROWS.ravel()], np.float32, 64)
    np.testing.assert_array_equal(out, ROWS.max(axis=0))


def _tensor(store, byte_offset, length, dtype=np.float32):
    return types.SimpleNamespace(
        slot=types.SimpleNamespace(store=store),
        byte_offset=byte_offset,
        length=length,
        dtype=np.dtype(dtype),
    )


def _indices(tensor, repeats, repeat_stride):
    lanes = np.arange(64)
    return vector_repeat.lane_indices("Add", tensor, lanes, repeats, 1, repeat_stride, "x")


def test_disjoint_operands_run_all_repeats_at_once():
    ub, other = object(), object()
    dst, src = _tensor(ub, 0, 512), _tensor(ub, 4096, 512)
    at = [_indices(dst, 8, 8), _indices(src, 8, 8)]
    assert not vector_repeat.needs_order((dst, src), at)
    # the same addresses in another store do not overlap
    far = _tensor(other, 0, 512)
    assert not vector_repeat.needs_order((dst, far), [at[0], _indices(far, 8, 8)])
    # in-place (dst is src, same repeat) needs no order either
    assert not vector_repeat.needs_order((dst, dst), [at[0], at[0]])


def test_overlap_with_a_later_repeat_needs_order():
    ub = object()
    dst, src = _tensor(ub, 256, 512), _tensor(ub, 0, 512)
    at = [_indices(dst, 4, 8), _indices(src, 4, 8)]
    assert vector_repeat.needs_order((dst, src), at)
    # reading bytes that only a later repeat writes is fine all at once
    assert not vector_repeat.needs_order((src, dst), [at[1], at[0]])


def _depends(tensors, at):
    """Reference: does some repeat read or rewrite a byte an earlier repeat wrote?"""
    written = {}
    for r, row in enumerate(at[0]):
        for byte in _bytes(tensors[0], row):
            written.setdefault(byte, r)
    for tensor, indices in zip(tensors, at, strict=True):
        for r, row in enumerate(indices):
            if any(written.get(byte, r) < r for byte in _bytes(tensor, row)):
                return True
    return False


def _bytes(tensor, row):
    size = tensor.dtype.itemsize
    return {tensor.byte_offset + i * size + b for i in row.tolist() for b in range(size)}


def test_order_is_kept_whenever_a_repeat_depends_on_an_earlier_one():
    ub = object()
    rng = np.random.default_rng(11)
    lanes = np.arange(0, 64, 7)
    found = 0
    for _ in range(200):
        repeats = int(rng.integers(2, 5))
        tensors, at = [], []
        for _operand in range(3):
            tensor = _tensor(ub, 32 * int(rng.integers(0, 24)), 4096)
            block, repeat = int(rng.integers(0, 3)), int(rng.integers(0, 12))
            tensors.append(tensor)
            at.append(vector_repeat.lane_indices("Add", tensor, lanes, repeats, block, repeat, "x"))
        if _depends(tensors, at):
            found += 1
            assert vector_repeat.needs_order(tuple(tensors), at)
    assert found > 20
