"""Queue calls as per-pipe flags: what a DeQue covers, when FreeTensor releases a buffer, and
the limits of flags, event ids and buffers (CANN's kernel_tquebind_impl.h semantics)."""

import numpy as np
import pytest

from cudalike import cann, profiler
from cudalike.cann import errors
from cudalike.cann.events import GetTPipePtr

H = cann.half
VECIN, VECOUT = cann.TPosition.VECIN, cann.TPosition.VECOUT


def launch(body, *args, blocks=1):
    kernel = cann.kernel(body)
    with profiler.profile() as prof:
        kernel[blocks](*args)
    return prof.launches[0]


def tbuf_then_queue(copy_tbuf_first):
    """Copy x into a TBuf and into a VECIN tensor on MTE2; EnQue/DeQue only the tensor."""

    def body(x):
        xGm = cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x)
        pipe = cann.TPipe()
        que, buf = cann.TQue(VECIN, 1), cann.TBuf()
        pipe.InitBuffer(que, 1, 64)
        pipe.InitBuffer(buf, 64)
        t = buf.Get(H)
        a = que.AllocTensor(H)
        if copy_tbuf_first:
            cann.DataCopy(t, xGm, 32)
        cann.DataCopy(a, xGm, 32)
        que.EnQue(a)
        if not copy_tbuf_first:
            cann.DataCopy(t, xGm, 32)
        a = que.DeQue(H)
        cann.Add(a, a, t, 32)
        que.FreeTensor(a)

    return body


def test_deque_covers_earlier_writes_of_the_producing_pipe():
    # EnQue is SetFlag<MTE2_V>: it fires after everything MTE2 issued before it, the TBuf's
    # copy included, so reading the TBuf on V after the DeQue is correct code.
    launch(tbuf_then_queue(copy_tbuf_first=True), np.ones(32, np.float16))


def test_a_copy_issued_after_the_enque_is_not_covered():
    with pytest.raises(
        errors.SyncError, match=r"(?s)test_pipe_events\.py:\d+.*Add on pipe V reads a tensor"
    ):
        launch(tbuf_then_queue(copy_tbuf_first=False), np.ones(32, np.float16))


def test_deque_holds_the_consuming_pipe():
    def body(x):
        xGm = cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x)
        pipe = cann.TPipe()
        que, buf = cann.TQue(VECIN, 1), cann.TBuf()
        pipe.InitBuffer(que, 1, 4096)
        pipe.InitBuffer(buf, 64)
        a = que.AllocTensor(H)
        cann.DataCopy(a, xGm, 2048)
        que.EnQue(a)
        a = que.DeQue(H)
        cann.Duplicate(buf.Get(H), 1.0, 32)  # touches no queue tensor, still waits (WaitFlag)
        que.FreeTensor(a)

    record = launch(body, np.ones(2048, np.float16))
    events = {e.name: e for e in record.events}
    assert events["Duplicate"].start_cycle >= events["DataCopy"].end_cycle


def one_buffer_kernel(free_before_exp):
    """Two tiles through one VECIN buffer; Compute frees x before or after an unrelated Exp."""

    def body(x, z):
        xGm, zGm = cann.GlobalTensor(H), cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x)
        zGm.SetGlobalBuffer(z)
        pipe = cann.TPipe()
        inQ, outQ, calc = cann.TQue(VECIN, 1), cann.TQue(VECOUT, 1), cann.TBuf()
        pipe.InitBuffer(inQ, 1, 256)
        pipe.InitBuffer(outQ, 1, 256)
        pipe.InitBuffer(calc, 64 * 1024)
        scratch = calc.Get(H)
        cann.Duplicate(scratch, 0.0, scratch.GetSize())
        for tile in range(2):
            xLocal = inQ.AllocTensor(H)
            cann.DataCopy(xLocal, xGm[tile * 128], 128)
            inQ.EnQue(xLocal)
            xLocal = inQ.DeQue(H)
            zLocal = outQ.AllocTensor(H)
            cann.Abs(zLocal, xLocal, 128)
            if free_before_exp:
                inQ.FreeTensor(xLocal)
            cann.Exp(scratch, scratch, scratch.GetSize())  # long, and not reading x
            if not free_before_exp:
                inQ.FreeTensor(xLocal)
            outQ.EnQue(zLocal)
            zLocal = outQ.DeQue(H)
            cann.DataCopy(zGm[tile * 128], zLocal, 128)
            outQ.FreeTensor(zLocal)

    return body


@pytest.mark.parametrize("free_before_exp", [True, False])
def test_a_buffer_is_released_at_its_free_tensor(free_before_exp):
    x = np.arange(256, dtype=np.float16)
    z = np.zeros_like(x)
    record = launch(one_buffer_kernel(free_before_exp), x, z)
    np.testing.assert_array_equal(z, np.abs(x))
    loads = [e for e in record.events if e.name == "DataCopy" and e.pipe == "MTE2"]
    first_exp = next(e for e in record.events if e.name == "Exp")
    # FreeTensor is a SetFlag<V_MTE2> on V: it fires when V reaches it, so the reload of the
    # buffer waits for the Exp only when the Exp was issued before the FreeTensor.
    if free_before_exp:
        assert loads[1].start_cycle < first_exp.end_cycle
    else:
        assert loads[1].start_cycle >= first_exp.end_cycle


def flag_body(event, first_id, second_id=None, wait=True):
    def body():
        cann.SetFlag[event](first_id)
        if second_id is not None:
            cann.SetFlag[event](second_id)
        if wait:
            cann.WaitFlag[event](first_id)
            if second_id is not None and second_id != first_id:
                cann.WaitFlag[event](second_id)

    return body


def test_event_ids_are_0_to_7():
    launch(flag_body(cann.HardEvent.V_S, 7))
    with pytest.raises(errors.InstructionError, match=r"SetFlag<HardEvent::V_S>\(8\).*0-7"):
        launch(flag_body(cann.HardEvent.V_S, 8))


def test_setting_a_flag_twice_before_its_wait_is_reported():
    launch(flag_body(cann.HardEvent.MTE2_V, 0, second_id=1))
    with pytest.raises(
        errors.SyncError, match=r"(?s)test_pipe_events\.py:\d+.*not yet waited for.*one bit"
    ):
        launch(flag_body(cann.HardEvent.MTE2_V, 0, second_id=0))


def test_hard_event_members_are_the_vendor_ones():
    names = {event.name for event in cann.HardEvent}
    assert {"V_V", "FIX_FIX", "MTE2_V", "V_MTE2", "S_V", "M_FIX", "MTE3_MTE2"} <= names
    assert "S_M" not in names and "MTE3_M" not in names
    assert cann.HardEvent.V_V.value == ("V", "V")


def test_v_v_is_a_barrier_inside_the_vector_pipe():
    record = launch(flag_body(cann.HardEvent.V_V, 0))
    assert [e.name for e in record.events] == ["PipeBarrier"]


def test_event_ids_from_the_pipe():
    seen = []

    def body():
        pipe = cann.TPipe()
        assert GetTPipePtr() is pipe
        first = pipe.AllocEventID[cann.HardEvent.V_S]()
        second = pipe.AllocEventID(cann.HardEvent.V_S)
        peek = pipe.FetchEventID(cann.HardEvent.V_S)
        other = pipe.FetchEventID[cann.HardEvent.MTE2_V]()
        pipe.ReleaseEventID[cann.HardEvent.V_S](first)
        seen.extend([first, second, peek, other, pipe.AllocEventID(cann.HardEvent.V_S)])
        cann.SetFlag[cann.HardEvent.V_S](second)
        cann.WaitFlag[cann.HardEvent.V_S](second)
        for _ in range(7):
            pipe.AllocEventID(cann.HardEvent.V_S)

    with pytest.raises(errors.SyncError, match=r"all 8 event ids of this event are allocated"):
        launch(body)
    assert seen == [0, 1, 2, 0, 0]


def test_at_most_64_buffers_per_pipe():
    def body(extra):
        pipe = cann.TPipe()
        for _ in range(8):
            pipe.InitBuffer(cann.TQue(VECIN, 1), 8, 32)
        if extra:
            pipe.InitBuffer(cann.TBuf(), 32)

    launch(lambda: body(False))
    with pytest.raises(errors.CapacityError, match=r"65 buffers; CANN allows at most 64"):
        launch(lambda: body(True))


@pytest.mark.parametrize("enqueue", [False, True])
def test_a_tensor_left_allocated_or_enqueued_is_reported_at_its_alloc(enqueue):
    def body():
        pipe = cann.TPipe()
        que = cann.TQue(VECOUT, 1)
        pipe.InitBuffer(que, 1, 64)
        t = que.AllocTensor(H)  # the line reported
        cann.Duplicate(t, 0.0, 32)
        if enqueue:
            que.EnQue(t)

    with pytest.raises(errors.BufferStateError) as info:
        launch(body)
    state = "ENQUEUED" if enqueue else "ALLOCATED"
    assert f"still {state} when the kernel ends" in str(info.value)
    assert "que.AllocTensor(H)  # the line reported" in str(info.value)


def test_flag_arguments_the_hardware_cannot_take():
    with pytest.raises(errors.InstructionError, match=r"needs a HardEvent.*got 'MTE2_V'"):
        launch(lambda: cann.SetFlag("MTE2_V", 0))
    with pytest.raises(errors.InstructionError, match=r"WaitFlag<HardEvent::MTE2_V>\(9\)"):
        launch(lambda: cann.WaitFlag[cann.HardEvent.MTE2_V](9))
    with pytest.raises(errors.BufferStateError, match=r"GetTPipePtr\(\) before any TPipe"):
        launch(GetTPipePtr)
