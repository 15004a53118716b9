"""The pipe model (cudalike/model/pipe_model.py): in-order pipes, dependencies, waves, profile."""

import pytest

from cudalike.model.devices_npu import load_npu_profile, npu_profile_for
from cudalike.model.pipe_model import CoreTimeline, build_record


def test_profile_figures_and_sources():
    profile = load_npu_profile()
    assert profile.ub_bytes == 192 * 1024 and profile.vector_repeat_bytes == 256
    assert profile.aiv_core_count == 48 and profile.cube_macs_per_cycle == 16**3
    assert set(profile.sources) >= {"clock_ghz", "gm_bandwidth_gbs", "mte2_bytes_per_cycle"}
    assert "fitted" in profile.sources["clock_ghz"]
    assert npu_profile_for("H100") == profile == npu_profile_for("910b")
    with pytest.raises(ValueError, match="unknown NPU profile"):
        load_npu_profile("nope")


def test_pipes_run_in_order_and_in_parallel():
    timeline = CoreTimeline(0, scalar_issue_cycles=1)
    where = ("k.py", 1)
    assert timeline.issue("MTE2", 100, "DataCopy", where) == (1, 101)
    assert timeline.issue("V", 10, "Add", where) == (2, 12)  # parallel pipe
    assert timeline.issue("MTE2", 100, "DataCopy", where) == (101, 201)  # in order
    assert timeline.issue("V", 10, "Add", where, ready=201) == (201, 211)  # waits for data
    assert timeline.finish() == 211
    assert timeline.busy["S"] == 4


def test_waves_and_gm_roof():
    profile = load_npu_profile()
    timelines = []
    for core in range(profile.aiv_core_count + 2):
        timeline = CoreTimeline(core, 1)
        timeline.issue("V", 1000, "Add", ("k.py", 3))
        timelines.append(timeline)
    record = build_record("k", profile, timelines, {("k.py", 3): "Add(...)"})
    assert record.metrics["waves"] == 2
    assert record.cycles == pytest.approx(2 * 1001)
    assert record.bound == "vector"
    assert record.lines[0]["source"] == "Add(...)"
    timelines[0].gm_bytes = 10**7  # more than the wave could move in 1001 cycles
    record = build_record("k", profile, timelines[:1], {})
    assert record.cycles == pytest.approx(10**7 / profile.gm_bytes_per_cycle)
    assert record.bound == "gm_bandwidth"


# The lessons (double buffering, unaligned and small transfers...) are in test_lessons.py.
