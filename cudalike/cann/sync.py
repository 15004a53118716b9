"""Synchronisation without queues: PipeBarrier inside a pipe, SetFlag/WaitFlag between pipes.

`SetFlag<HardEvent::MTE2_V>(id)` is an instruction on MTE2 that fires once MTE2 has finished
everything issued before it; `WaitFlag<HardEvent::MTE2_V>(id)` holds the V pipe until then,
and makes MTE2's writes so far visible to V. Each (event, id) is one hardware flag: ids are
0-7 (QUE_MAX_EVENT), setting a flag twice before it is waited for loses a signal, a WaitFlag
with no SetFlag before it hangs, and a SetFlag nobody waits for is left for the next kernel;
all four are reported. V_V and FIX_FIX are barriers inside one pipe, as in CANN.
"""

from __future__ import annotations

import enum

from cudalike.cann import _context, errors, hazards
from cudalike.i18n import _

PIPE_S, PIPE_V, PIPE_M = "S", "V", "M"
PIPE_MTE1, PIPE_MTE2, PIPE_MTE3, PIPE_FIX = "MTE1", "MTE2", "MTE3", "FIX"
PIPE_ALL = "ALL"
_PIPES = ("S", "V", "M", "MTE1", "MTE2", "MTE3", "FIX")

# Event ids per HardEvent on architecture 2201 (CANN's QUE_MAX_EVENT).
QUE_MAX_EVENT = 8

# The HardEvent members CANN defines (kernel_event.h), each SRC_DST.
_VENDOR_EVENTS = (
    "MTE2_MTE1 MTE1_MTE2 MTE1_M M_MTE1 MTE2_V V_MTE2 MTE3_V V_MTE3 M_V V_M V_V MTE3_MTE1 "
    "MTE1_MTE3 MTE1_V MTE2_M M_MTE2 V_MTE1 M_FIX FIX_M MTE3_MTE2 MTE2_MTE3 S_V V_S S_MTE2 "
    "MTE2_S S_MTE3 MTE3_S MTE2_FIX FIX_MTE2 FIX_S M_S FIX_MTE3 MTE1_FIX FIX_MTE1 FIX_FIX"
).split()

# HardEvent.SRC_DST; value (src, dst).
HardEvent = enum.Enum("HardEvent", {name: tuple(name.split("_")) for name in _VENDOR_EVENTS})
HardEvent.__doc__ = "Event between two pipes, named SRC_DST (Ascend C's HardEvent)."


class _Template:
    """Lets `PipeBarrier[PIPE_V]()` and `PipeBarrier(PIPE_V)` both work, as in C++ templates."""

    def __init__(self, function):
        self._function = function
        self.__doc__ = function.__doc__
        self.__name__ = function.__name__

    def __getitem__(self, argument):
        return lambda *args: self._function(argument, *args)

    def __call__(self, *args):
        return self._function(*args)


def check_event_id(event: HardEvent, event_id: int, api: str) -> int:
    """`event_id` as an int, or an error naming it and the 0-7 range."""
    if not isinstance(event, HardEvent):
        raise _context.error(
            errors.InstructionError,
            _("{api} needs a HardEvent (e.g. HardEvent.MTE2_V), got {event}").format(
                api=api, event=repr(event)
            ),
        )
    if not 0 <= int(event_id) < QUE_MAX_EVENT:
        raise _context.error(
            errors.InstructionError,
            _(
                "{api}<HardEvent::{event}>({event_id}): event ids are 0-{last} on this "
                "generation (QUE_MAX_EVENT = {count})"
            ).format(
                api=api,
                event=event.name,
                event_id=event_id,
                last=QUE_MAX_EVENT - 1,
                count=QUE_MAX_EVENT,
            ),
            _("take ids from pipe.AllocEventID[HardEvent...]() or use EVENT_ID0..EVENT_ID7"),
        )
    return int(event_id)


def _pipe_barrier(pipe: str) -> None:
    """Order the instructions of `pipe` (PIPE_ALL: wait for every pipe to drain)."""
    core = _context.current("PipeBarrier")
    timeline = core.timeline
    where = _context.user_location()
    if pipe == PIPE_ALL:
        end = timeline.finish()
        for name in _PIPES:
            timeline.wait(name, end)
        timeline.issue_cycle = end
        for src in _PIPES:
            for dst in _PIPES:
                core.visible[(src, dst)] = core.write_seq
        hazards.order_all(core)
        return
    if pipe not in _PIPES:
        raise _context.error(
            errors.InstructionError,
            _("PipeBarrier of unknown pipe {pipe}").format(pipe=repr(pipe)),
        )
    timeline.issue(pipe, 1, "PipeBarrier", where)


def _set_flag(event: HardEvent, event_id: int = 0) -> None:
    """Mark, on the source pipe, that what was issued there so far is done."""
    core = _context.current("SetFlag")
    event_id = check_event_id(event, event_id, "SetFlag")
    src, dst = event.value
    if src == dst:  # V_V and FIX_FIX: CANN issues a barrier inside the pipe
        _pipe_barrier(src)
        return
    where = _context.user_location()
    key = (src, dst, event_id)
    if key in core.flags:
        first = core.flags[key][2]
        raise _context.error(
            errors.SyncError,
            _(
                "SetFlag<HardEvent::{event}>({event_id}) while the same flag, set at line "
                "{line}, is not yet waited for: the flag is one bit, so one signal is lost "
                "and a later WaitFlag hangs"
            ).format(event=event.name, event_id=event_id, line=first[1]),
            _(
                "WaitFlag<HardEvent::{event}>({event_id}) before setting it again, or use "
                "another event id (pipe.AllocEventID)"
            ).format(event=event.name, event_id=event_id),
            pipe=src,
        )
    issued = len(core.timeline.events)
    end = core.timeline.issue(src, 1, f"SetFlag {event.name}", where)[1]
    core.flags[key] = (end, core.write_seq, where, issued)


def _wait_flag(event: HardEvent, event_id: int = 0) -> None:
    """Hold the destination pipe until the matching SetFlag; its writes become visible."""
    core = _context.current("WaitFlag")
    event_id = check_event_id(event, event_id, "WaitFlag")
    src, dst = event.value
    if src == dst:
        return
    pending = core.flags.pop((src, dst, event_id), None)
    if pending is None:
        raise _context.error(
            errors.SyncError,
            _(
                "WaitFlag<HardEvent::{event}>({event_id}) with no SetFlag before it: the "
                "{dst} pipe would wait forever (a deadlock)"
            ).format(event=event.name, event_id=event_id, dst=dst),
            _(
                "call SetFlag<HardEvent::{event}>({event_id}) after the {src} work it waits for"
            ).format(event=event.name, event_id=event_id, src=src),
            pipe=dst,
        )
    cycle, seq, _where, issued = pending
    core.timeline.wait(dst, cycle)
    core.visible[(src, dst)] = max(core.visible.get((src, dst), -1), seq)
    hazards.order(core, src, dst, issued)


def check_flags_at_end(core: _context.CoreContext) -> None:
    """Report a SetFlag no WaitFlag consumed by the end of the block."""
    for (src, dst, event_id), (_cycle, _seq, where, _issued) in core.flags.items():
        raise _context.error(
            errors.SyncError,
            _("SetFlag<HardEvent::{src}_{dst}>({event_id}) was never waited for").format(
                src=src, dst=dst, event_id=event_id
            ),
            _(
                "pair every SetFlag with a WaitFlag of the same event and id; an unmatched "
                "flag leaves the event set for the next kernel"
            ),
            pipe=src,
            where=where,
        )


PipeBarrier = _Template(_pipe_barrier)
SetFlag = _Template(_set_flag)
WaitFlag = _Template(_wait_flag)


def _intrinsic_event(pipe: str, tpipe: str, api: str) -> HardEvent:
    """The HardEvent a CCE intrinsic's (source pipe, destination pipe) pair names."""
    name = f"{pipe}_{tpipe}"
    if name not in HardEvent.__members__:
        raise _context.error(
            errors.InstructionError,
            f"{api}({pipe!r}, {tpipe!r}, ...): no HardEvent {name} between those pipes",
            "pass two PIPE_ constants, source first (PIPE_V, PIPE_S)",
        )
    return HardEvent[name]


def set_flag(pipe: str, tpipe: str, event_id: int) -> None:
    """The CCE intrinsic under SetFlag: `set_flag(PIPE_V, PIPE_S, id)` is
    `SetFlag<HardEvent::V_S>(id)`, checked and timed the same way."""
    _set_flag(_intrinsic_event(pipe, tpipe, "set_flag"), event_id)


def wait_flag(pipe: str, tpipe: str, event_id: int) -> None:
    """The CCE intrinsic under WaitFlag: `wait_flag(PIPE_V, PIPE_S, id)` is
    `WaitFlag<HardEvent::V_S>(id)`."""
    _wait_flag(_intrinsic_event(pipe, tpipe, "wait_flag"), event_id)
