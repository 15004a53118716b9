"""The end-of-block check of the queues: every tensor allocated must have been handed back.

CANN's FreeAllEvent asserts on an EnQue whose event is still set when the kernel ends; a
tensor never EnQue'd or freed holds its buffer for good. Both are reported at the line of the
AllocTensor that took the buffer.
"""

from __future__ import annotations

from cudalike.cann import _context, errors
from cudalike.cann.buffers import ALLOCATED, ENQUEUED, TQue
from cudalike.i18n import _


def check_freed_at_end(core: _context.CoreContext) -> None:
    """Report, at its AllocTensor line, a queue tensor the block left allocated and never
    used through the queue, or EnQue'd and never DeQue'd (its EnQue flag stays set; CANN's
    FreeAllEvent asserts on it). A tensor DeQue'd and kept for the whole block (parameters
    loaded once) is accepted: nothing waits on its free event."""
    for buffer in core.queues:
        if not isinstance(buffer, TQue):
            continue
        for slot in buffer.slots:
            if slot.state in (ALLOCATED, ENQUEUED) and slot.index in buffer.alloc_where:
                raise _context.error(
                    errors.BufferStateError,
                    (
                        _(
                            "a tensor allocated here (slot {slot} of {buffer}) is still "
                            "ENQUEUED when the kernel ends: it was never DeQue'd"
                        )
                        if slot.state == ENQUEUED
                        else _(
                            "a tensor allocated here (slot {slot} of {buffer}) is still "
                            "ALLOCATED when the kernel ends: it was never EnQue'd or freed"
                        )
                    ).format(slot=slot.index, buffer=buffer.describe()),
                    _(
                        "EnQue, DeQue and FreeTensor every tensor you allocate; an EnQue never "
                        "DeQue'd leaves its event set for the next kernel"
                    ),
                    queue=buffer.describe(),
                    slot=slot.index,
                    where=buffer.alloc_where[slot.index],
                )
