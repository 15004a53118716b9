"""Write-after-read (and write-after-write) hazards between pipes on one on-chip buffer.

Pipes run in parallel: once a V instruction reading a buffer is issued, an MTE2 copy into
the same buffer may start before that read is done, unless a V -> MTE2 flag lies between
them: SetFlag/WaitFlag<HardEvent::V_MTE2>, FreeTensor then the AllocTensor that reuses the
buffer, or PipeBarrier(PIPE_ALL) / SyncAll. Every buffer slot is a `TrackedSlot`, which
remembers the latest instruction of each pipe that used it and checks each new write of
another pipe against it. Scalar reads need no flag: the scalar unit waits for their value.
Scalar writes (SetValue) need none either: BiSheng's automatic synchronisation
(`--cce-auto-sync`, on by default in kernel-launch and custom-operator projects) inserts the
waits between the vector, MTE and scalar units before them (hiascend.com, BiSheng Compiler,
"Automatic Synchronization", atlas_bisheng_10_0008); `access` makes the write wait for the
buffer's earlier uses.

`core.ordered[(src, dst)]` is how many instructions had been issued when the latest src -> dst
flag that dst waited for was set: every src instruction before that index is done for dst.
"""

from __future__ import annotations

from cudalike.cann import _context, errors
from cudalike.cann.local import Slot, describe
from cudalike.i18n import _
from cudalike.model.pipe_model import PIPES


class TrackedSlot(Slot):
    """A Slot that sees its uses: `access` records each instruction's effect on the slot by
    setting `last_use_end` (every use) and `pending` (writes) right after issuing it, so the
    instruction is the timeline's latest event.

    Attributes:
        core: the core the slot belongs to.
        uses: pipe -> index (in the core's timeline events) of its latest use of the slot.
    """

    __slots__ = ("core", "uses")

    def __init__(self, core: _context.CoreContext, *args, **kwargs):
        self.core = core
        self.uses: dict[str, int] | None = None  # not tracking while Slot initialises
        super().__init__(*args, **kwargs)
        self.uses = {}

    @property
    def pending(self):
        return Slot.pending.__get__(self)

    @pending.setter
    def pending(self, value) -> None:
        if value is not None and self.uses is not None:
            check_write(self, value[0])
        Slot.pending.__set__(self, value)

    @property
    def last_use_end(self) -> float:
        return Slot.last_use_end.__get__(self)

    @last_use_end.setter
    def last_use_end(self, value: float) -> None:
        if self.uses is not None:
            events = self.core.timeline.events
            self.uses[events[-1].pipe] = len(events) - 1
        Slot.last_use_end.__set__(self, value)


def check_write(slot: TrackedSlot, pipe: str) -> None:
    """Raise if a use of `slot` by another pipe may still be running when `pipe` writes it."""
    if pipe == "S":
        return
    core = slot.core
    events = core.timeline.events
    for other, index in slot.uses.items():
        if other in (pipe, "S") or core.ordered.get((other, pipe), 0) > index:
            continue
        earlier = events[index]
        raise _context.error(
            errors.SyncError,
            _(
                "{writer} on pipe {pipe} overwrites a buffer that {reader} on pipe {other} "
                "(line {line}) may still be using: nothing orders {other} before {pipe} in "
                "between (slot {slot} of {buffer}; a write after read)"
            ).format(
                writer=events[-1].name,
                pipe=pipe,
                reader=earlier.name,
                other=other,
                line=earlier.line,
                slot=slot.index,
                buffer=describe(slot.owner),
            ),
            _(
                "put SetFlag/WaitFlag<HardEvent::{other}_{pipe}> between them (SetFlag after "
                "the {other} instruction, WaitFlag before this one), or FreeTensor the tensor "
                "and AllocTensor it again; the emulator computed the right value, the hardware "
                "would race"
            ).format(other=other, pipe=pipe),
            pipe=pipe,
            queue=describe(slot.owner),
            slot=slot.index,
        )


def order(core: _context.CoreContext, src: str, dst: str, issued: int) -> None:
    """Record that `dst` waited for everything `src` had before instruction index `issued`."""
    key = (src, dst)
    core.ordered[key] = max(core.ordered.get(key, 0), issued)


def order_all(core: _context.CoreContext) -> None:
    """Every pipe waited for every pipe (PipeBarrier(PIPE_ALL), SyncAll)."""
    issued = len(core.timeline.events)
    for src in PIPES:
        for dst in PIPES:
            core.ordered[(src, dst)] = issued
