"""SetFlag/WaitFlag and PipeBarrier: they make writes visible, and unmatched ones are reported."""

import numpy as np
import pytest

from cudalike import cann, profiler
from cudalike.cann import errors

H = cann.half


def flag_kernel(set_flag=True, wait_flag=True, compute=True):
    @cann.kernel
    def kernel(x):
        xGm = cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x)
        pipe = cann.TPipe()
        buf = cann.TBuf()
        pipe.InitBuffer(buf, 128)
        t = buf.Get(H)
        cann.DataCopy(t, xGm, 64)
        if set_flag:
            cann.SetFlag[cann.HardEvent.MTE2_V](0)
        if wait_flag:
            cann.WaitFlag[cann.HardEvent.MTE2_V](0)
        if compute:
            cann.Abs(t, t, 64)

    return kernel


def test_flags_synchronise_and_order_the_pipes():
    with profiler.profile() as prof:
        flag_kernel()[1](np.ones(64, np.float16))
    events = {e.name: e for e in prof.launches[0].events}
    assert events["Abs"].start_cycle >= events["DataCopy"].end_cycle


def test_wait_without_set_is_a_deadlock():
    with pytest.raises(
        errors.SyncError,
        match=r"(?s)test_sync\.py:\d+.*WaitFlag<HardEvent::MTE2_V>\(0\) with no SetFlag",
    ):
        flag_kernel(set_flag=False)[1](np.ones(64, np.float16))


def test_set_without_wait_is_reported_at_the_set():
    with pytest.raises(errors.SyncError, match=r"(?s)test_sync\.py:\d+.*never waited for"):
        flag_kernel(wait_flag=False, compute=False)[1](np.ones(64, np.float16))


def test_pipe_barrier_all_synchronises_everything():
    @cann.kernel
    def kernel(x):
        xGm = cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x)
        pipe = cann.TPipe()
        buf = cann.TBuf()
        pipe.InitBuffer(buf, 128)
        t = buf.Get(H)
        cann.DataCopy(t, xGm, 64)
        cann.PipeBarrier(cann.PIPE_ALL)
        cann.Abs(t, t, 64)
        cann.PipeBarrier[cann.PIPE_ALL]()
        assert t.GetValue(0) == 1

    kernel[1](-np.ones(64, np.float16))


def test_scalar_read_of_vector_result_needs_sync():
    @cann.kernel
    def kernel():
        pipe = cann.TPipe()
        buf = cann.TBuf()
        pipe.InitBuffer(buf, 64)
        t = buf.Get(H)
        cann.Duplicate(t, 2.0, 32)
        t.GetValue(0)

    with pytest.raises(
        errors.SyncError, match=r"GetValue on pipe S reads a tensor written on pipe V"
    ):
        kernel[1]()
