"""Write-after-read between pipes: reloading a buffer V may still be reading is reported at
the reload, unless a V -> MTE2 flag, FreeTensor/AllocTensor or a full barrier is in between."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors

H = cann.half
E = cann.HardEvent


def reload_kernel(between):
    """Two tiles through one TBuf: copy in (MTE2), sum on V, then `between` before reloading."""

    @cann.kernel
    def kernel(x, z):
        xGm, zGm = cann.GlobalTensor(H), cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x)
        zGm.SetGlobalBuffer(z)
        pipe = cann.TPipe()
        inBuf, outQ = cann.TBuf(), cann.TQue(cann.TPosition.VECOUT, 1)
        pipe.InitBuffer(inBuf, 128)
        pipe.InitBuffer(outQ, 1, 128)
        tile = inBuf.Get(H)
        for i in range(2):
            cann.DataCopy(tile, xGm[i * 64], 64)  # the reload
            cann.SetFlag[E.MTE2_V](0)
            cann.WaitFlag[E.MTE2_V](0)
            out = outQ.AllocTensor(H)
            cann.Adds(out, tile, 1.0, 64)
            outQ.EnQue(out)
            out = outQ.DeQue(H)
            cann.DataCopy(zGm[i * 64], out, 64)
            outQ.FreeTensor(out)
            if between == "flag":
                cann.SetFlag[E.V_MTE2](0)
                cann.WaitFlag[E.V_MTE2](0)
            elif between == "barrier":
                cann.PipeBarrier(cann.PIPE_ALL)

    return kernel


@pytest.mark.parametrize("between", ["flag", "barrier"])
def test_reload_after_a_v_to_mte2_flag_or_barrier_is_fine(between):
    x = np.arange(128, dtype=np.float16)
    z = np.zeros_like(x)
    reload_kernel(between)[1](x, z)
    np.testing.assert_array_equal(z, x + 1)


def test_reload_without_the_flag_is_a_write_after_read():
    with pytest.raises(errors.SyncError) as info:
        reload_kernel(None)[1](np.ones(128, np.float16), np.zeros(128, np.float16))
    message = str(info.value)
    assert "test_pipe_hazards.py" in message and "# the reload" in message
    assert "DataCopy on pipe MTE2 overwrites a buffer that Adds on pipe V" in message
    assert "write after read" in message
    assert "SetFlag/WaitFlag<HardEvent::V_MTE2>" in message
    assert info.value.pipe == "MTE2" and info.value.queue == "TBuf(VECCALC)"


def test_reusing_a_queue_tensor_without_free_and_alloc_is_reported():
    @cann.kernel
    def kernel(x):
        xGm = cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x)
        pipe = cann.TPipe()
        que, calc = cann.TQue(cann.TPosition.VECIN, 1), cann.TBuf()
        pipe.InitBuffer(que, 1, 128)
        pipe.InitBuffer(calc, 128)
        t = que.AllocTensor(H)
        for i in range(2):
            cann.DataCopy(t, xGm[i * 64], 64)
            que.EnQue(t)
            t = que.DeQue(H)
            cann.Abs(calc.Get(H), t, 64)
        que.FreeTensor(t)

    with pytest.raises(errors.SyncError, match=r"overwrites a buffer that Abs on pipe V"):
        kernel[1](np.ones(128, np.float16))


def test_scalar_reads_need_no_flag_before_a_reload():
    @cann.kernel
    def kernel(x):
        xGm = cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x)
        pipe = cann.TPipe()
        buf = cann.TBuf()
        pipe.InitBuffer(buf, 64)
        t = buf.Get(H)
        for _ in range(2):
            cann.DataCopy(t, xGm, 32)
            cann.SetFlag[E.MTE2_S](0)
            cann.WaitFlag[E.MTE2_S](0)
            t.GetValue(0)  # the scalar unit waits for the value itself

    kernel[1](np.ones(32, np.float16))
