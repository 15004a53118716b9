"""The operator entry's framework calls: TILING_KEY_IS against the host's tiling key,
GetUserWorkspace, and the CCE intrinsics the ops-nn kernels use (vcadd, set_flag/wait_flag)."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors

F = cann.float


@pytest.fixture(autouse=True)
def default_tiling_key():
    cann.ICPU_SET_TILING_KEY(0)
    yield
    cann.ICPU_SET_TILING_KEY(0)


@cann.kernel
def branches(out):
    outGm = cann.GlobalTensor(cann.int32)
    outGm.SetGlobalBuffer(out)
    if cann.TILING_KEY_IS(0):  # the first TILING_KEY_IS
        outGm.SetValue(0, 100)
    elif cann.TILING_KEY_IS(1):
        outGm.SetValue(0, 101)
    elif cann.TILING_KEY_IS(1110):
        outGm.SetValue(0, 1110)


@pytest.mark.parametrize("key", [0, 1, 1110])
def test_the_branch_of_the_hosts_tiling_key_runs(key):
    out = np.zeros(8, np.int32)
    cann.ICPU_SET_TILING_KEY(key)
    branches[2](out)
    assert out[0] == (100 if key == 0 else key if key == 1110 else 101)


def test_the_key_is_zero_until_the_host_sets_one():
    out = np.zeros(8, np.int32)
    branches[1](out)
    assert out[0] == 100


def test_a_key_no_branch_tests_is_reported_at_the_first_tiling_key_is():
    cann.ICPU_SET_TILING_KEY(7)
    with pytest.raises(errors.InstructionError) as info:
        branches[1](np.zeros(8, np.int32))
    message = str(info.value)
    assert "tiling key is 7" in message and "test [0, 1, 1110]: no branch ran" in message
    assert "# the first TILING_KEY_IS" in message
    assert "ICPU_SET_TILING_KEY" in message


def test_a_kernel_without_tiling_keys_runs_whatever_the_key():
    @cann.kernel
    def plain(out):
        outGm = cann.GlobalTensor(cann.int32)
        outGm.SetGlobalBuffer(out)
        outGm.SetValue(0, 5)

    cann.ICPU_SET_TILING_KEY(3)
    out = np.zeros(8, np.int32)
    plain[1](out)
    assert out[0] == 5


def test_keys_must_be_non_negative_integers():
    with pytest.raises(ValueError, match=r"ICPU_SET_TILING_KEY takes an integer"):
        cann.ICPU_SET_TILING_KEY(-1)

    @cann.kernel
    def negative(out):
        cann.TILING_KEY_IS(-2)

    with pytest.raises(errors.InstructionError, match=r"TILING_KEY_IS\(-2\): a tiling key is"):
        negative[1](np.zeros(8, np.int32))


def test_get_user_workspace_is_the_workspace_and_refuses_none():
    seen = []

    @cann.kernel
    def uses(workspace):
        seen.append(cann.GetUserWorkspace(workspace).requested_elements())

    uses[1](np.zeros(64, np.uint8))
    assert seen == [64]
    with pytest.raises(errors.BufferStateError, match=r"workspace can not be nullptr"):
        uses[1](None)


def row_sum(count, intrinsic):
    """Sums `count` floats of x into z[0] with vcadd (or WholeReduceSum) after SetMask."""

    @cann.kernel
    def kernel(x, z):
        xGm, zGm = cann.GlobalTensor(F), cann.GlobalTensor(F)
        xGm.SetGlobalBuffer(x)
        zGm.SetGlobalBuffer(z)
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECIN, 1)
        pipe.InitBuffer(que, 1, 256)
        t = que.AllocTensor(F)
        cann.DataCopy(t, xGm, 64)
        que.EnQue(t)
        t = que.DeQue(F)
        cann.AscendCUtils.SetMask[F](count)
        if intrinsic:
            cann.vcadd(t.GetPhyAddr().cast(F), t.GetPhyAddr().cast(F), 1, 0, 1, 0, False)
        else:
            cann.WholeReduceSum(t, t, cann.MASK_PLACEHOLDER, 1, 0, 1, 0, isSetMask=False)
        cann.set_flag(cann.PIPE_V, cann.PIPE_S, 0)
        cann.wait_flag(cann.PIPE_V, cann.PIPE_S, 0)
        zGm.SetValue(0, t.GetValue(0))
        que.FreeTensor(t)

    return kernel


@pytest.mark.parametrize("count", [64, 37, 1])
def test_vcadd_sums_the_lanes_the_mask_register_enables(count):
    x = np.random.default_rng(count).standard_normal(64).astype(np.float32)
    z, reference = np.zeros(8, np.float32), np.zeros(8, np.float32)
    row_sum(count, intrinsic=True)[1](x, z)
    row_sum(count, intrinsic=False)[1](x, reference)
    assert z[0] == reference[0]
    np.testing.assert_allclose(z[0], x[:count].astype(np.float64).sum(), rtol=1e-5)


def test_a_ub_pointer_cast_to_another_type_reinterprets_the_bytes():
    seen = []

    @cann.kernel
    def kernel(x):
        pipe = cann.TPipe()
        buf = cann.TBuf(cann.TPosition.VECCALC)
        pipe.InitBuffer(buf, 256)
        t = buf.Get(F)
        pointer = t.GetPhyAddr(8).cast(cann.half)
        seen.append((pointer.tensor.dtype, pointer.tensor.GetSize()))

    kernel[1](np.zeros(8, np.float32))
    assert seen == [(np.dtype(np.float16), 112)]


def test_an_intrinsic_flag_is_checked_as_setflag_is():
    @cann.kernel
    def never_waited(x):
        cann.set_flag(cann.PIPE_V, cann.PIPE_S, 1)

    with pytest.raises(errors.SyncError, match=r"SetFlag<HardEvent::V_S>\(1\) was never waited"):
        never_waited[1](np.zeros(8, np.float32))

    @cann.kernel
    def no_such_event(x):
        cann.set_flag(cann.PIPE_S, cann.PIPE_M, 0)

    with pytest.raises(errors.InstructionError, match=r"no HardEvent S_M between those pipes"):
        no_such_event[1](np.zeros(8, np.float32))
