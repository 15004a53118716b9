"""Tests of cudalike/simt/streams.py: streams, events and the refusal to report CPU time."""

import time

import pytest

from cudalike.errors import CudalikeError, ElapsedTimeUnavailableError
from cudalike.simt.streams import (
    CudaAPIError,
    Event,
    Stream,
    as_stream,
    default_stream,
    event,
    event_elapsed_time,
    external_stream,
    legacy_default_stream,
    per_thread_default_stream,
    stream,
    synchronize,
)


def test_new_streams_have_distinct_integer_handles_and_no_modelled_time():
    first, second = stream(), stream()
    assert isinstance(first, Stream) and first.handle != second.handle
    assert int(first) == first.handle and first.handle > 2
    assert first._clock_us is None
    assert "synchronously" in repr(first)


def test_default_streams_are_fixed_objects_with_cudas_handles():
    assert default_stream() is default_stream() and default_stream().handle == 0
    assert legacy_default_stream().handle == 1 and per_thread_default_stream().handle == 2
    assert "Default CUDA stream" in repr(default_stream())


def test_synchronize_and_auto_synchronize_return_at_once():
    s = stream()
    s.synchronize()
    synchronize()
    with s.auto_synchronize() as inside:
        assert inside is s


def test_as_stream_resolves_zero_and_refuses_garbage():
    s = stream()
    assert as_stream(s) is s and as_stream(0) is default_stream() and as_stream(None)
    with pytest.raises(TypeError, match=r"stream must be a stream from cuda.stream\(\) or 0.*7"):
        as_stream(7)


def test_external_streams_are_unsupported_with_the_alternative():
    with pytest.raises(NotImplementedError, match=r"external_stream\(1234\).*cuda.stream\(\)"):
        external_stream(1234)


def test_event_lifecycle_calls_return_at_once():
    evt = event()
    assert isinstance(evt, Event) and evt.timing and evt.query()
    evt.record(stream())
    evt.synchronize()
    evt.wait()
    evt.wait(stream())
    assert "recorded" in repr(evt)


def test_elapsed_time_never_reports_cpu_time():
    start, end = event(), event()
    start.record()
    time.sleep(0.05)  # CPU time passes, no GPU work does
    end.record()
    assert start.elapsed_time(end) == 0.0
    assert event_elapsed_time(start, end) == 0.0


def test_events_on_different_streams_cannot_be_timed():
    start, end = event(), event()
    start.record(stream())
    end.record(stream())
    pattern = r"different streams.*emulates kernels on the CPU.*record both events on the same"
    with pytest.raises(ElapsedTimeUnavailableError, match=pattern):
        start.elapsed_time(end)


def test_elapsed_time_uses_the_modelled_clocks_in_milliseconds():
    s = stream()
    s._clock_us = 10.0  # as the performance model will advance it
    start, end = event(), event()
    start.record(s)
    s._clock_us = 2510.0
    end.record(s)
    assert start.elapsed_time(end) == pytest.approx(2.5)


def test_elapsed_time_of_unrecorded_or_untimed_events_is_numbas_api_error():
    recorded = event()
    recorded.record()
    with pytest.raises(CudaAPIError, match=r"\[400\] CUDA_ERROR_INVALID_HANDLE: the end event"):
        recorded.elapsed_time(event())
    untimed = event(timing=False)
    untimed.record()
    with pytest.raises(CudaAPIError, match=r"start event was created with .*timing=False"):
        untimed.elapsed_time(recorded)
    error = CudaAPIError(400, "message")
    assert isinstance(error, CudalikeError) and (error.code, error.msg) == (400, "message")
