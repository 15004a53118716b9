"""TPipe, TQue and TBuf: on-chip buffers and the four queue calls that synchronise pipes.

The slot state machine (one per buffer):

    FREE --AllocTensor--> ALLOCATED --EnQue--> ENQUEUED --DeQue--> DEQUEUED --FreeTensor--> FREE
                                 \\---------------------FreeTensor-------------------------/

The four calls are flags between two pipes, as CANN implements them (kernel_tquebind_impl.h):
EnQue is a SetFlag on the producing pipe and DeQue the WaitFlag on the consuming one (for a
VECIN queue MTE2_V); FreeTensor is a SetFlag back (V_MTE2) and the AllocTensor that reuses the
buffer its WaitFlag. A SetFlag fires once its pipe has finished everything issued before it,
so a DeQue also covers every earlier write of the producing pipe, a TBuf's included.
AllocTensor hands out the slots in turn. Calls the hardware would hang on (DeQue of an empty
queue, AllocTensor with every slot taken) are reported, and so is a tensor still allocated
when the kernel ends (`queue_end_check`).
"""

from __future__ import annotations

import collections
import enum

from cudalike.cann import _context, errors, events, hazards
from cudalike.cann.dtypes import dtype_of
from cudalike.cann.local import ALLOCATED, DEQUEUED, ENQUEUED, FREE, LocalTensor, check_live
from cudalike.i18n import _


class TPosition(enum.Enum):
    """Where a queue's buffers live (Ascend C's TPosition / QuePosition)."""

    GM = "GM"
    VECIN = "VECIN"
    VECOUT = "VECOUT"
    VECCALC = "VECCALC"
    A1 = "A1"
    B1 = "B1"
    A2 = "A2"
    B2 = "B2"
    CO1 = "CO1"
    CO2 = "CO2"


QuePosition = TPosition

# (producing pipe, consuming pipe) of a queue at each position: the pipes of the forward event
# GetQueEvt gives on architecture 2201 (VECIN: MTE2_V; FreeTensor signals the reverse, V_MTE2).
QUEUE_PIPES = {
    TPosition.VECIN: ("MTE2", "V"),
    TPosition.VECOUT: ("V", "MTE3"),
    TPosition.VECCALC: ("V", "V"),
    TPosition.A1: ("MTE2", "MTE1"),
    TPosition.B1: ("MTE2", "MTE1"),
    TPosition.A2: ("MTE1", "M"),
    TPosition.B2: ("MTE1", "M"),
    TPosition.CO1: ("M", "FIX"),
    TPosition.CO2: ("FIX", "MTE3"),
}

# Buffers one TPipe can hand out, all queues and TBufs together (CANN's QBUF_MAX_LEN).
MAX_BUFFERS_PER_PIPE = 64

# Store of each position on architecture 2201 (CO2 may be GM or UB there; modelled as UB).
STORE_OF = {
    TPosition.VECIN: "UB",
    TPosition.VECOUT: "UB",
    TPosition.VECCALC: "UB",
    TPosition.CO2: "UB",
    TPosition.A1: "L1",
    TPosition.B1: "L1",
    TPosition.A2: "L0A",
    TPosition.B2: "L0B",
    TPosition.CO1: "L0C",
}


class TPipe:
    """The core's memory manager: InitBuffer carves queues and scratch buffers out of UB/L1/L0.

    Differences: one TPipe per kernel as in Ascend C, but a second one shares the same
    memories instead of being an error. Buffers are placed one after another from address 0.
    AllocEventID, FetchEventID and ReleaseEventID are `cudalike.cann.events`'s.
    """

    def __init__(self):
        self._core = _context.current("TPipe()")
        self._buffers = 0
        if self._core.tpipe is None:
            self._core.tpipe = self

    def InitBuffer(self, buffer, num_or_length: int, length: int | None = None) -> None:
        """`InitBuffer(que, num, lenBytes)` for a TQue, `InitBuffer(buf, lenBytes)` for a TBuf.

        Each buffer's length is rounded up to the store's alignment (32 bytes in UB).

        Raises:
            CapacityError: the store has fewer bytes left than asked for.
        """
        if isinstance(buffer, TQue):
            num, length = int(num_or_length), int(length)
        elif isinstance(buffer, TBuf):
            num, length = 1, int(num_or_length)
        else:
            raise TypeError(_("InitBuffer takes a TQue or a TBuf first"))
        if buffer.slots:
            raise _context.error(
                errors.BufferStateError,
                _("InitBuffer called twice for {buffer}").format(buffer=buffer.describe()),
                _("initialise each queue once, in Init"),
            )
        if num < 1 or length < 1:
            raise _context.error(
                errors.CapacityError,
                _(
                    "InitBuffer needs num >= 1 and lenBytes >= 1, got num={num}, len={length}"
                ).format(num=num, length=length),
            )
        if self._buffers + num > MAX_BUFFERS_PER_PIPE:
            raise _context.error(
                errors.CapacityError,
                _(
                    "InitBuffer of {num} buffer(s) for {buffer} would give this TPipe {total} "
                    "buffers; CANN allows at most {limit} per TPipe (QBUF_MAX_LEN), queues and "
                    "TBufs together"
                ).format(
                    num=num,
                    buffer=buffer.describe(),
                    total=self._buffers + num,
                    limit=MAX_BUFFERS_PER_PIPE,
                ),
                _("use fewer queues or buffers per queue, or one TBuf split with Get/slices"),
            )
        store = self._core.store(STORE_OF[buffer.position])
        size = -(-length // store.align) * store.align
        asked = num * size
        available = len(store.data) - store.used
        if asked > available:
            raise _context.error(
                errors.CapacityError,
                _(
                    "InitBuffer asks for {num} x {size} = {asked} bytes of {store} for {buffer}, "
                    "but only {available} of its {capacity} bytes are left ({used} already given "
                    "to other buffers)"
                ).format(
                    num=num,
                    size=size,
                    asked=asked,
                    store=store.name,
                    buffer=buffer.describe(),
                    available=available,
                    capacity=len(store.data),
                    used=store.used,
                ),
                _("use smaller tiles (tileLength), fewer buffers, or fewer queues"),
            )
        for index in range(num):
            state = ALLOCATED if isinstance(buffer, TBuf) else FREE
            slot = hazards.TrackedSlot(self._core, store, store.used, size, index, buffer, state)
            buffer.slots.append(slot)
            store.used += size
        self._buffers += num
        buffer._core = self._core
        self._core.queues.append(buffer)

    def Destroy(self) -> None:
        """Release the buffers (nothing to do: the core's memory goes with the block)."""

    AllocEventID = events.EventMethod(events.alloc_event_id)
    FetchEventID = events.EventMethod(events.fetch_event_id)
    ReleaseEventID = events.EventMethod(events.release_event_id)


class TQue:
    """A queue of `num` on-chip buffers between two pipeline stages: TQue<position, depth>.

    Also spelled `TQue[TPosition.VECIN, 2]()` as in C++.

    Differences: AllocTensor and DeQue take the element type as an argument
    (`AllocTensor(half)`), not as a template argument.
    """

    def __init__(self, position: TPosition, depth: int = 1):
        self.position = position
        self.depth = int(depth)
        self.slots: list[hazards.TrackedSlot] = []
        self.fifo: collections.deque[LocalTensor] = collections.deque()
        self.outstanding = 0
        self.next_slot = 0
        self.producer, self.consumer = QUEUE_PIPES.get(position, ("V", "V"))
        self.alloc_where: dict[int, tuple[str, int]] = {}
        self.enqueued: dict[int, tuple[str, float, int, int]] = {}
        self.freed_at: dict[int, int] = {}
        self._core = None

    def __class_getitem__(cls, params):
        position, depth = params if isinstance(params, tuple) else (params, 1)
        return lambda: cls(position, depth)

    def describe(self) -> str:
        return f"TQue({self.position.name}, depth {self.depth})"

    def AllocTensor(self, dtype) -> LocalTensor:
        """A tensor over the next free buffer; the producing pipe waits for its FreeTensor."""
        self._need_init("AllocTensor")
        limit = self._core.profile.max_queue_allocs
        if self.outstanding >= limit:
            raise self._error(
                _(
                    "too many back-to-back AllocTensor: {count} tensors of this queue are "
                    "allocated and none freed (the hardware allows {limit} per position)"
                ).format(count=self.outstanding, limit=limit),
                _("FreeTensor a tensor before allocating another"),
            )
        for step in range(len(self.slots)):
            slot = self.slots[(self.next_slot + step) % len(self.slots)]
            if slot.state == FREE:
                self.next_slot = (slot.index + 1) % len(self.slots)
                slot.state = ALLOCATED
                slot.pending = None
                self.outstanding += 1
                self.alloc_where[slot.index] = _context.user_location()
                # The WaitFlag of FreeTensor's event holds the producing pipe from here on.
                self._core.timeline.wait(self.producer, slot.free_cycle)
                if slot.index in self.freed_at:
                    issued = self.freed_at.pop(slot.index)
                    hazards.order(self._core, self.consumer, self.producer, issued)
                    # The buffer's own earlier uses are covered whatever their pipe: without
                    # TQueBind, a VECIN queue drained by MTE3 stands for a bound VECIN->VECOUT.
                    slot.uses.clear()
                return LocalTensor(slot, dtype, slot.offset, slot.nbytes // _itemsize(dtype))
        raise self._error(
            _(
                "AllocTensor with all {count} buffer(s) in use: on the hardware it would wait "
                "for a FreeTensor that never comes (a deadlock)"
            ).format(count=len(self.slots)),
            _("FreeTensor each tensor when done (after DeQue), or give InitBuffer more buffers"),
        )

    def EnQue(self, tensor: LocalTensor) -> None:
        """Publish `tensor`: a SetFlag on the pipe that wrote it, fired once that pipe is done."""
        self._need_init("EnQue")
        check_live(tensor, "EnQue")
        slot = tensor.slot
        if slot.owner is not self:
            raise self._error(_("EnQue of a tensor allocated from another queue or buffer"), "")
        if len(self.fifo) >= self.depth:
            raise self._error(
                _("EnQue into a full queue (depth {depth}): the hardware would block here").format(
                    depth=self.depth
                ),
                _("DeQue before the next EnQue, or declare the TQue with a larger depth"),
                slot=slot.index,
            )
        timeline = self._core.timeline
        writer = slot.pending[0] if slot.pending is not None else self.producer
        fired = max(timeline.free[writer], timeline.issue_cycle)
        slot.ready = max(slot.ready, fired)
        slot.pending = None
        slot.state = ENQUEUED
        issued = len(timeline.events)
        self.enqueued[slot.index] = (writer, fired, self._core.write_seq, issued)
        self.fifo.append(tensor)

    def DeQue(self, dtype=None) -> LocalTensor:
        """The oldest EnQue'd tensor: a WaitFlag holding the consuming pipe until its EnQue fired.

        Like any WaitFlag it makes everything the producing pipe wrote before the EnQue visible
        to the consuming pipe, not only this tensor.
        """
        self._need_init("DeQue")
        if not self.fifo:
            raise self._error(
                _(
                    "DeQue on an empty queue: nothing was EnQue'd, so the hardware would wait "
                    "forever (a deadlock)"
                ),
                _("EnQue a tensor into this queue before DeQue (check the CopyIn/Compute order)"),
            )
        tensor = self.fifo.popleft()
        tensor.slot.state = DEQUEUED
        writer, fired, seq, issued = self.enqueued.pop(tensor.slot.index)
        core = self._core
        core.timeline.wait(self.consumer, fired)
        if writer != self.consumer:
            key = (writer, self.consumer)
            core.visible[key] = max(core.visible.get(key, -1), seq)
            hazards.order(core, writer, self.consumer, issued)
        if dtype is not None and _itemsize(dtype) != tensor.dtype.itemsize:
            return LocalTensor(
                tensor.slot, dtype, tensor.slot.offset, tensor.slot.nbytes // _itemsize(dtype)
            )
        return tensor

    def FreeTensor(self, tensor: LocalTensor) -> None:
        """Give the buffer back: a SetFlag on the consuming pipe, fired once that pipe has
        finished everything issued so far; the AllocTensor that reuses the buffer waits for it."""
        self._need_init("FreeTensor")
        check_live(tensor, "FreeTensor")
        slot = tensor.slot
        if slot.owner is not self:
            raise self._error(_("FreeTensor of a tensor from another queue or buffer"), "")
        timeline = self._core.timeline
        fired = max(timeline.free[self.consumer], timeline.issue_cycle)
        # A tensor read on another pipe than the queue's consumer is covered too.
        slot.free_cycle = max(slot.free_cycle, fired, slot.last_use_end)
        self.freed_at[slot.index] = len(timeline.events)
        slot.state = FREE
        self.alloc_where.pop(slot.index, None)
        slot.generation += 1
        self.outstanding -= 1

    def VacantInQue(self) -> bool:
        return len(self.fifo) < self.depth

    def HasTensorInQue(self) -> bool:
        return bool(self.fifo)

    def GetTensorCountInQue(self) -> int:
        return len(self.fifo)

    def _need_init(self, api: str) -> None:
        if not self.slots:
            raise self._error(
                _("{api} on a queue with no buffers").format(api=api),
                _("call pipe.InitBuffer(que, num, len) first"),
            )

    def _error(self, detail: str, hint: str, slot: int | None = None):
        return _context.error(
            errors.BufferStateError, detail, hint, queue=self.describe(), slot=slot
        )


class TBuf:
    """Scratch space that is not queued: TBuf<VECCALC>, its tensor obtained with Get.

    Synchronisation is yours: a read on another pipe than the write needs SetFlag/WaitFlag.
    """

    def __init__(self, position: TPosition = TPosition.VECCALC):
        self.position = position
        self.slots: list[hazards.TrackedSlot] = []
        self._core = None

    def __class_getitem__(cls, position):
        return lambda: cls(position)

    def describe(self) -> str:
        return f"TBuf({self.position.name})"

    def Get(self, dtype, length: int | None = None) -> LocalTensor:
        """The buffer as a tensor of `dtype` (its first `length` elements if given)."""
        if not self.slots:
            raise _context.error(
                errors.BufferStateError,
                _("Get on a TBuf with no memory"),
                _("call pipe.InitBuffer(buf, lenBytes) first"),
                queue=self.describe(),
            )
        slot = self.slots[0]
        capacity = slot.nbytes // _itemsize(dtype)
        if length is not None and not 0 < int(length) <= capacity:
            raise _context.error(
                errors.GlobalOutOfBoundsError,
                _("Get({length}) on a TBuf of {capacity} elements").format(
                    length=length, capacity=capacity
                ),
                queue=self.describe(),
            )
        return LocalTensor(slot, dtype, slot.offset, capacity if length is None else int(length))

    def AllocTensor(self, dtype) -> LocalTensor:
        """TBuf::AllocTensor<T>(): the whole buffer, as Get (a TBuf has no queue state)."""
        return self.Get(dtype)

    def FreeTensor(self, tensor: LocalTensor) -> None:
        """TBuf::FreeTensor: nothing to hand back; the tensor must be this buffer's."""
        if not self.slots or tensor.slot is not self.slots[0]:
            raise _context.error(
                errors.BufferStateError,
                _("FreeTensor of a tensor from another queue or buffer"),
                "",
                queue=self.describe(),
            )


def _itemsize(dtype) -> int:
    return dtype_of(dtype).itemsize
