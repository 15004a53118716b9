"""Streams and events of numba.cuda, for an engine that runs every launch synchronously.

The CPU engine runs launches and copies one after another in the order the host issues
them, so every stream is trivially ordered and synchronising is a no-op. What streams and
events still carry is modelled time: each stream has a clock (`_clock_us`) that the
performance model advances; an event records the clock of its stream. Until a launch has
modelled time the clock is None, and `elapsed_time` refuses rather than report the CPU
emulation's wall-clock time, which says nothing about a GPU.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator

from cudalike.errors import CudaAPIError, ElapsedTimeUnavailableError

# Handles 0, 1 and 2 are the default, legacy default and per-thread default streams, as the
# CUDA driver numbers them (CU_STREAM_LEGACY = 0x1, CU_STREAM_PER_THREAD = 0x2).
_DEFAULT_HANDLE, _LEGACY_HANDLE, _PER_THREAD_HANDLE = 0, 1, 2
_new_handles = itertools.count(3)


class Stream:
    """A CUDA stream: a queue of launches and copies that run in issue order.

    Create one with `cuda.stream()`; pass it to a launch (`kernel[blocks, threads, stream]`)
    or to a copy (`cuda.to_device(ary, stream=s)`).

    Differences:
        The CPU engine runs everything synchronously in issue order, so work on different
        streams never overlaps and `synchronize()` returns at once. Modelled time is kept
        per stream and is not overlapped across streams either.

    Attributes:
        handle: an integer naming the stream (0 for the default stream).
    """

    def __init__(self, handle: int, kind: str = "CUDA stream"):
        self.handle = handle
        self._kind = kind
        # Modelled GPU time of the work issued so far (microseconds); None until the
        # performance model gives launches a duration.
        self._clock_us: float | None = None

    def __int__(self) -> int:
        return self.handle

    def __repr__(self) -> str:
        return f"<{self._kind} {self.handle} (cudalike: runs synchronously on the CPU)>"

    def synchronize(self) -> None:
        """Wait until all work on the stream is done: immediate, as work runs synchronously."""

    @contextlib.contextmanager
    def auto_synchronize(self) -> Iterator[Stream]:
        """Context manager that synchronizes the stream on exit.

        Example:
            >>> with stream().auto_synchronize() as s:
            ...     pass
        """
        yield self
        self.synchronize()


_DEFAULT_STREAM = Stream(_DEFAULT_HANDLE, "Default CUDA stream")
_LEGACY_DEFAULT_STREAM = Stream(_LEGACY_HANDLE, "Legacy default CUDA stream")
_PER_THREAD_DEFAULT_STREAM = Stream(_PER_THREAD_HANDLE, "Per-thread default CUDA stream")


def stream() -> Stream:
    """Create a new stream.

    Example:
        >>> s = stream()
        >>> s.synchronize()
    """
    return Stream(next(_new_handles))


def default_stream() -> Stream:
    """Return the default stream (handle 0), used when a call is given `stream=0`."""
    return _DEFAULT_STREAM


def legacy_default_stream() -> Stream:
    """Return the legacy default stream (handle 1)."""
    return _LEGACY_DEFAULT_STREAM


def per_thread_default_stream() -> Stream:
    """Return the per-thread default stream (handle 2)."""
    return _PER_THREAD_DEFAULT_STREAM


def external_stream(ptr: int) -> Stream:
    """numba wraps a stream created by another library; there are none on a CPU emulation.

    Raises:
        NotImplementedError: always; create streams with `cuda.stream()` instead.
    """
    raise NotImplementedError(
        f"cuda.external_stream({ptr!r}): cudalike runs on the CPU, so there are no streams "
        "from other CUDA libraries to wrap; create one with cuda.stream() instead"
    )


def as_stream(stream: Stream | int | None) -> Stream:
    """Return the Stream a `stream=` argument means: 0 or None is the default stream.

    Raises:
        TypeError: `stream` is neither a Stream nor 0/None.
    """
    if isinstance(stream, Stream):
        return stream
    if stream is None or (isinstance(stream, int) and stream == 0):
        return _DEFAULT_STREAM
    raise TypeError(
        f"stream must be a stream from cuda.stream() or 0 for the default stream, got {stream!r}"
    )


def synchronize() -> None:
    """Wait for all work on the device: immediate, as cudalike runs all work synchronously."""


class Event:
    """A CUDA event: a mark in a stream, used to order work and to time it.

    Differences:
        Work runs synchronously, so `synchronize()` and `wait()` return at once and
        `query()` is always True. `elapsed_time` gives modelled GPU time from the
        performance model and never the CPU emulation's wall-clock time: recording an
        event starts its stream's modelled clock, and every later launch on that stream
        advances it by the launch's modelled duration. Events on different streams raise
        ElapsedTimeUnavailableError, since each stream keeps its own clock (numba's
        simulator returns -1.0 for every timing).

    Attributes:
        timing: whether the event records time (`cuda.event(timing=False)` does not).
    """

    def __init__(self, timing: bool = True):
        self.timing = bool(timing)
        self._recorded = False
        self._clock_us: float | None = None
        self._stream: Stream | None = None

    def __repr__(self) -> str:
        state = "recorded" if self._recorded else "not recorded"
        return f"<cudalike CUDA event ({state}, timing={self.timing})>"

    def record(self, stream: Stream | int = 0) -> None:
        """Mark the current point of `stream` (0: the default stream) and capture its clock.

        Recording starts the stream's modelled clock: from then on every launch on it is
        modelled and advances the clock by its modelled time.
        """
        target = as_stream(stream)
        if target._clock_us is None:
            target._clock_us = 0.0
        self._clock_us = target._clock_us
        self._stream = target
        self._recorded = True

    def synchronize(self) -> None:
        """Wait for the recorded work to finish: immediate, as work runs synchronously."""

    def wait(self, stream: Stream | int = 0) -> None:
        """Make future work on `stream` wait for this event: already true here."""
        as_stream(stream)

    def query(self) -> bool:
        """Return True if the work before the last record is done: always True here."""
        return True

    def elapsed_time(self, evtend: Event) -> float:
        """Return the modelled GPU time in milliseconds from this event to `evtend`.

        Raises:
            CudaAPIError: an event was created with timing=False or never recorded.
            ElapsedTimeUnavailableError: no modelled time exists for the work in between.

        Example:
            >>> start, end = event(), event()
            >>> start.record(); end.record()
            >>> start.elapsed_time(end)  # doctest: +SKIP
        """
        return event_elapsed_time(self, evtend)


def event(timing: bool = True) -> Event:
    """Create an event; `timing=False` makes one that can order work but not time it."""
    return Event(timing=timing)


def event_elapsed_time(evtstart: Event, evtend: Event) -> float:
    """Return the modelled GPU time in milliseconds between two recorded events.

    Raises:
        CudaAPIError: an event was created with timing=False or never recorded (CUDA's
            CUDA_ERROR_INVALID_HANDLE).
        ElapsedTimeUnavailableError: no modelled time exists for the work in between.
    """
    for role, evt in (("start", evtstart), ("end", evtend)):
        if not evt.timing:
            raise CudaAPIError(
                400,
                f"CUDA_ERROR_INVALID_HANDLE: the {role} event was created with "
                "cuda.event(timing=False) and cannot be timed; create it with cuda.event()",
            )
        if not evt._recorded:
            raise CudaAPIError(
                400,
                f"CUDA_ERROR_INVALID_HANDLE: the {role} event was never recorded; call "
                f"{role}.record(stream) before asking for elapsed_time",
            )
    if evtstart._stream is not evtend._stream:
        raise ElapsedTimeUnavailableError(
            "the two events were recorded on different streams: cudalike emulates kernels on "
            "the CPU and models each stream's GPU time on its own clock (CPU time says "
            "nothing about GPU time); record both events on the same stream"
        )
    return (evtend._clock_us - evtstart._clock_us) / 1000.0
