"""Vendor argument orders of the cube parameter structs, LocalMemAllocator and SetPadValue."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors


def test_mmad_params_positional_order_is_cann():
    params = cann.MmadParams(32, 48, 64, 0, False, False)
    assert (params.m, params.n, params.k) == (32, 48, 64)
    assert (params.unitFlag, params.cmatrixSource, params.cmatrixInitVal) == (0, False, False)


def test_fixpipe_params_positional_order_is_cann():
    params = cann.FixpipeParamsV220(48, 32, 32, 48, True, cann.QuantMode_t.F322F16, 0, 1, 0, 0, 0)
    assert (params.nSize, params.mSize, params.srcStride, params.dstStride) == (48, 32, 32, 48)
    assert params.reluEn is True
    assert params.quantPre is cann.QuantMode_t.F322F16
    assert (params.deqScalar, params.ndNum, params.srcNdStride, params.dstNdStride) == (0, 1, 0, 0)
    assert params.unitFlag == 0


def _run(body, *arrays):
    result = {}

    @cann.kernel
    def kernel(*gms):
        result["out"] = body(*gms)

    kernel[1](*arrays)
    return result["out"]


def test_local_mem_allocator_cuts_consecutive_tensors():
    def body():
        ub = cann.LocalMemAllocator(cann.Hardware.UB)
        a = ub.Alloc(cann.float32, 64)
        b = ub.Alloc(cann.TPosition.VECIN, cann.half, 32)
        assert ub.GetCurAddr() == 64 * 4 + 32 * 2
        cann.Duplicate(a, 2.0, 64)
        cann.Duplicate(b, 3.0, 32)
        cann.PipeBarrier(cann.PIPE_V)
        return a.numpy().copy(), b.numpy().copy()

    a, b = _run(body)
    np.testing.assert_array_equal(a, np.full(64, 2.0, np.float32))
    np.testing.assert_array_equal(b, np.full(32, 3.0, np.float16))


def test_local_mem_allocator_rejects_a_position_of_another_memory():
    def body():
        cann.LocalMemAllocator(cann.Hardware.L1).Alloc(cann.TPosition.VECIN, cann.half, 16)

    with pytest.raises(errors.InstructionError, match="not in L1"):
        _run(body)


@pytest.mark.parametrize(
    ("is_pad", "set_value", "expected_pad"), [(False, 1.0, 1.0), (True, 1.0, 5.0)]
)
def test_set_pad_value_fills_data_copy_pad_padding(is_pad, set_value, expected_pad):
    x = np.arange(20, dtype=np.float16)

    def body(gm):
        g = cann.GlobalTensor(cann.half)
        g.SetGlobalBuffer(gm)
        ub = cann.LocalMemAllocator().Alloc(cann.half, 32)
        pad = cann.DataCopyPadExtParams(is_pad, 0, 12, 5.0)
        cann.SetPadValue(cann.half(set_value))
        cann.DataCopyPad(ub, g, cann.DataCopyExtParams(1, 40, 0, 0, 0), pad)
        cann.PipeBarrier(cann.PIPE_ALL)
        return ub.numpy().copy()

    out = _run(body, x)
    np.testing.assert_array_equal(out[:20], x)
    np.testing.assert_array_equal(out[20:], np.full(12, expected_pad, np.float16))
