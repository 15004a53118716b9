"""TPipe/TQue/TBuf: capacity, the slot state machine and its errors."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors

H = cann.half


def run(body, blocks=1, *args):
    """Launch `body(...)` as a kernel over `blocks` blocks."""
    kernel = cann.kernel(body)
    kernel[blocks](*args)


def test_initbuffer_over_ub_names_bytes_asked_and_available():
    def body():
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECIN, 2)
        pipe.InitBuffer(que, 2, 100_000)

    with pytest.raises(errors.CapacityError, match=r"test_buffers\.py:\d+") as info:
        run(body)
    message = str(info.value)
    assert "2 x 100000 = 200000 bytes of UB" in message
    assert "only 196608 of its 196608 bytes are left" in message
    assert "block 0" in message


def test_initbuffer_rounds_to_32_bytes_and_accumulates():
    def body():
        pipe = cann.TPipe()
        a, b = cann.TQue(cann.TPosition.VECIN, 1), cann.TBuf(cann.TPosition.VECCALC)
        pipe.InitBuffer(a, 2, 33)
        pipe.InitBuffer(b, 196_608 - 96)

    with pytest.raises(errors.CapacityError, match=r"128 already given"):
        run(body)


def test_template_spellings():
    def body():
        pipe = cann.TPipe()
        que = cann.TQue[cann.QuePosition.VECIN, 2]()
        buf = cann.TBuf[cann.TPosition.VECCALC]()
        pipe.InitBuffer(que, 2, 64)
        pipe.InitBuffer(buf, 64)
        assert que.depth == 2 and buf.Get(H).GetSize() == 32
        assert buf.Get(cann.float32, 4).GetSize() == 4

    run(body)


def test_use_after_free_is_reported_with_line_and_block():
    def body():
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECOUT, 1)
        pipe.InitBuffer(que, 1, 64)
        if cann.GetBlockIdx() == 1:
            t = que.AllocTensor(H)
            que.FreeTensor(t)
            cann.Duplicate(t, 1.0, 32)

    with pytest.raises(
        errors.BufferStateError, match=r"(?s)test_buffers\.py:\d+.*block 1:.*after FreeTensor"
    ) as info:
        run(body, 2)
    assert info.value.block == 1 and info.value.slot == 0
    assert info.value.queue == "TQue(VECOUT, depth 1)"


def test_deque_on_empty_queue_is_a_deadlock():
    def body():
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECIN, 1)
        pipe.InitBuffer(que, 1, 64)
        que.DeQue(H)

    with pytest.raises(errors.BufferStateError, match=r"DeQue on an empty queue.*deadlock"):
        run(body)


def test_alloc_with_every_slot_taken_is_a_deadlock():
    def body():
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECIN, 2)
        pipe.InitBuffer(que, 2, 64)
        que.AllocTensor(H)
        que.AllocTensor(H)
        que.AllocTensor(H)

    with pytest.raises(errors.BufferStateError, match=r"all 2 buffer\(s\) in use"):
        run(body)


def test_too_many_back_to_back_allocs():
    def body():
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECIN, 9)
        pipe.InitBuffer(que, 9, 64)
        for _ in range(9):
            que.AllocTensor(H)

    with pytest.raises(errors.BufferStateError, match=r"too many back-to-back AllocTensor"):
        run(body)


def test_enque_into_full_queue_and_touching_an_enqueued_tensor():
    def full():
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECIN, 1)
        pipe.InitBuffer(que, 2, 64)
        que.EnQue(que.AllocTensor(H))
        que.EnQue(que.AllocTensor(H))

    with pytest.raises(errors.BufferStateError, match=r"full queue \(depth 1\)"):
        run(full)

    def touch():
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECIN, 1)
        pipe.InitBuffer(que, 1, 64)
        t = que.AllocTensor(H)
        que.EnQue(t)
        cann.Duplicate(t, 0, 32)

    with pytest.raises(errors.BufferStateError, match=r"EnQue'd and not yet DeQue'd"):
        run(touch)


def test_slots_are_handed_out_in_turn_and_reused():
    seen = []

    def body():
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECIN, 2)
        pipe.InitBuffer(que, 2, 64)
        for _ in range(4):
            t = que.AllocTensor(H)
            seen.append(t.slot.index)
            que.EnQue(t)
            que.FreeTensor(que.DeQue(H))

    run(body)
    assert seen == [0, 1, 0, 1]


def test_fresh_ub_is_poisoned():
    values = []

    def body():
        pipe = cann.TPipe()
        buf = cann.TBuf()
        pipe.InitBuffer(buf, 64)
        values.append(buf.Get(H).numpy())

    run(body)
    assert np.isnan(values[0]).all()
