"""Event ids: TPipe's AllocEventID / FetchEventID / ReleaseEventID, and GetTPipePtr.

CANN keeps one pool of QUE_MAX_EVENT (8) ids per HardEvent (kernel_tpipe_impl.h):
AllocEventID takes the lowest free id of the event's pool and keeps it until ReleaseEventID;
FetchEventID only peeks at that id, for a SetFlag/WaitFlag pair issued straight after. The
pools here belong to the running core, so every block starts with all ids free.
"""

from __future__ import annotations

from cudalike.cann import _context, errors
from cudalike.cann.sync import QUE_MAX_EVENT, HardEvent, _Template, check_event_id
from cudalike.i18n import _

EVENT_ID0, EVENT_ID1, EVENT_ID2, EVENT_ID3 = 0, 1, 2, 3
EVENT_ID4, EVENT_ID5, EVENT_ID6, EVENT_ID7 = 4, 5, 6, 7


class EventMethod:
    """A TPipe method taking the event first, spelled `pipe.AllocEventID[HardEvent.V_S]()` as
    in C++ or `pipe.AllocEventID(HardEvent.V_S)`."""

    def __init__(self, function):
        self._function = function
        self.__doc__ = function.__doc__

    def __get__(self, pipe, owner=None):
        if pipe is None:
            return self
        return _Template(self._function.__get__(pipe, owner))


def _pool(pipe, event: HardEvent, api: str) -> set[int]:
    check_event_id(event, 0, api)
    return pipe._core.event_ids.setdefault(event.value, set())


def _lowest_free(taken: set[int], event: HardEvent, api: str) -> int:
    for event_id in range(QUE_MAX_EVENT):
        if event_id not in taken:
            return event_id
    raise _context.error(
        errors.SyncError,
        _(
            "{api}<HardEvent::{event}>: all {count} event ids of this event are allocated and "
            "none released"
        ).format(api=api, event=event.name, count=QUE_MAX_EVENT),
        _("ReleaseEventID an id once its WaitFlag is issued, or reuse ids across iterations"),
    )


def alloc_event_id(pipe, event: HardEvent) -> int:
    """Take the lowest free id of `event`'s pool until ReleaseEventID."""
    taken = _pool(pipe, event, "AllocEventID")
    event_id = _lowest_free(taken, event, "AllocEventID")
    taken.add(event_id)
    return event_id


def fetch_event_id(pipe, event: HardEvent) -> int:
    """The id AllocEventID would give next, without taking it."""
    return _lowest_free(_pool(pipe, event, "FetchEventID"), event, "FetchEventID")


def release_event_id(pipe, event: HardEvent, event_id: int) -> None:
    """Give `event_id` back to `event`'s pool."""
    taken = _pool(pipe, event, "ReleaseEventID")
    taken.discard(check_event_id(event, event_id, "ReleaseEventID"))


def GetTPipePtr():
    """The block's TPipe (the first one it made), as CANN's GetTPipePtr()."""
    core = _context.current("GetTPipePtr")
    if core.tpipe is None:
        raise _context.error(
            errors.BufferStateError,
            _("GetTPipePtr() before any TPipe was made in this kernel"),
            _("make the TPipe first (pipe = TPipe()), usually in Init"),
        )
    return core.tpipe
