"""Core state calls of a kernel's prologue and timing probes: InitSocState, GetSystemCycle."""

from __future__ import annotations

from cudalike.cann import _context


def InitSocState() -> None:
    """Reset the core's global state (mask mode, atomic mode...) at the kernel's start.

    Every block starts from a fresh core here, so there is nothing to reset; the call is
    accepted so that vendor kernels that begin with it run unchanged.
    """
    _context.current("InitSocState")


def GetSystemCycle() -> int:
    """The core's cycle counter, read on the scalar pipe: the model's cycle at this point.

    Differences: the value counts the modelled core clock from the block's start, so the
    difference of two reads is the modelled time between them in cycles.
    """
    core = _context.current("GetSystemCycle")
    start, _ = core.timeline.issue("S", 1, "GetSystemCycle", _context.user_location())
    return int(start)
