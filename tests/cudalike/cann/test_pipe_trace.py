"""The exported pipe trace follows the trace-event format that chrome://tracing and Perfetto
read: complete events with ts/dur in microseconds, metadata naming processes and threads."""

import json

import numpy as np
import pytest

from cudalike import profiler
from cudalike.cann.examples.add import add
from cudalike.model.pipe_model import PIPES

REQUIRED = {"X": {"name", "ph", "ts", "dur", "pid", "tid"}, "M": {"name", "ph", "pid", "args"}}


@pytest.fixture(scope="module")
def trace_and_record(tmp_path_factory):
    x = np.ones(2**14, np.float16)
    with profiler.profile() as prof:
        add(x, x, num_blocks=2, tile_length=2048)
    record = prof.launches[0]
    path = tmp_path_factory.mktemp("trace") / "add.json"
    record.export_trace(path)
    return json.loads(path.read_text()), record


def test_every_event_has_the_fields_of_its_phase(trace_and_record):
    document, _ = trace_and_record
    assert document["displayTimeUnit"] in ("ms", "ns")
    events = document["traceEvents"]
    assert {event["ph"] for event in events} == {"X", "M"}
    for event in events:
        assert REQUIRED[event["ph"]] <= set(event), event
        assert isinstance(event["pid"], int)
        if event["ph"] == "X":
            assert isinstance(event["tid"], int) and event["ts"] >= 0 and event["dur"] >= 0


def test_processes_are_cores_and_threads_are_pipes(trace_and_record):
    document, _ = trace_and_record
    meta = [e for e in document["traceEvents"] if e["ph"] == "M"]
    processes = {e["pid"]: e["args"]["name"] for e in meta if e["name"] == "process_name"}
    threads = {(e["pid"], e["tid"]): e["args"]["name"] for e in meta if e["name"] == "thread_name"}
    assert processes == {0: "core 0", 1: "core 1"}
    assert threads[(0, PIPES.index("MTE2"))] == "MTE2" and len(threads) == 2 * len(PIPES)


def test_times_are_microseconds_with_cycles_in_args(trace_and_record):
    document, record = trace_and_record
    complete = [e for e in document["traceEvents"] if e["ph"] == "X"]
    assert len(complete) == len(record.events)
    for event, source in zip(complete, record.events, strict=True):
        assert event["ts"] == pytest.approx(source.start_cycle / (record.clock_ghz * 1000))
        assert event["args"]["cycles"] == source.end_cycle - source.start_cycle
        assert event["args"]["start_cycle"] == source.start_cycle
    end = max(e["ts"] + e["dur"] for e in complete)
    assert end == pytest.approx(record.time_us)
