"""Synchronisation without queues: PipeBarrier inside a pipe, SetFlag/WaitFlag between pipes.

`SetFlag<HardEvent::MTE2_V>(id)` marks, on MTE2, that everything issued there so far is done;
`WaitFlag<HardEvent::MTE2_V>(id)` holds the V pipe until then, and makes MTE2's writes so far
visible to V. A WaitFlag with no SetFlag before it would hang the hardware and is reported; so
is a SetFlag nobody waits for, when the block ends.
"""

from __future__ import annotations

import enum

from cudalike.cann import _context, errors

PIPE_S, PIPE_V, PIPE_M = "S", "V", "M"
PIPE_MTE1, PIPE_MTE2, PIPE_MTE3, PIPE_FIX = "MTE1", "MTE2", "MTE3", "FIX"
PIPE_ALL = "ALL"
_PIPES = ("S", "V", "M", "MTE1", "MTE2", "MTE3", "FIX")

# HardEvent.SRC_DST for every ordered pair of pipes; value (src, dst).
HardEvent = enum.Enum("HardEvent", {f"{a}_{b}": (a, b) for a in _PIPES for b in _PIPES if a != b})
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
        return
    if pipe not in _PIPES:
        raise _context.error(errors.InstructionError, f"PipeBarrier of unknown pipe {pipe!r}")
    timeline.issue(pipe, 1, "PipeBarrier", where)


def _set_flag(event: HardEvent, event_id: int = 0) -> None:
    """Mark, on the source pipe, that what was issued there so far is done."""
    core = _context.current("SetFlag")
    src, dst = event.value
    where = _context.user_location()
    _, end = core.timeline.issue(src, 1, f"SetFlag {event.name}", where)
    pending = core.flags.setdefault((src, dst, int(event_id)), [])
    pending.append((end, core.write_seq, where))


def _wait_flag(event: HardEvent, event_id: int = 0) -> None:
    """Hold the destination pipe until the matching SetFlag; its writes become visible."""
    core = _context.current("WaitFlag")
    src, dst = event.value
    pending = core.flags.get((src, dst, int(event_id)))
    if not pending:
        raise _context.error(
            errors.SyncError,
            f"WaitFlag<HardEvent::{event.name}>({event_id}) with no SetFlag before it: the "
            f"{dst} pipe would wait forever (a deadlock)",
            f"call SetFlag<HardEvent::{event.name}>({event_id}) after the {src} work it waits for",
            pipe=dst,
        )
    cycle, seq, _ = pending.pop(0)
    core.timeline.wait(dst, cycle)
    core.visible[(src, dst)] = max(core.visible.get((src, dst), -1), seq)


def check_flags_at_end(core: _context.CoreContext) -> None:
    """Report a SetFlag no WaitFlag consumed by the end of the block."""
    for (src, dst, event_id), pending in core.flags.items():
        if pending:
            where = pending[0][2]
            raise _context.error(
                errors.SyncError,
                f"SetFlag<HardEvent::{src}_{dst}>({event_id}) was never waited for",
                "pair every SetFlag with a WaitFlag of the same event and id; an unmatched "
                "flag leaves the event set for the next kernel",
                pipe=src,
                where=where,
            )


PipeBarrier = _Template(_pipe_barrier)
SetFlag = _Template(_set_flag)
WaitFlag = _Template(_wait_flag)
