"""The pipe model (cudalike/model/pipe_model.py): in-order pipes, dependencies, waves, profile."""

import numpy as np
import pytest

from cudalike import cann, profiler
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


def test_unaligned_and_small_transfers_cost_more():
    def copy_time(offset, count):
        @cann.kernel
        def kernel(x):
            xGm = cann.GlobalTensor(cann.half)
            xGm.SetGlobalBuffer(x + offset)
            pipe = cann.TPipe()
            buf = cann.TBuf()
            pipe.InitBuffer(buf, 2 * count)
            cann.DataCopy(buf.Get(cann.half), xGm, count)

        with profiler.profile() as prof:
            kernel[1](np.zeros(count + 512, np.float16))
        return prof.launches[0].cycles

    assert copy_time(16, 8192) > 1.3 * copy_time(0, 8192)  # 32 B- vs 512 B-aligned
    assert copy_time(0, 16) / 16 > 20 * copy_time(0, 8192) / 8192  # per-transfer overhead


def square_time(buffers, n=2**16, tile=4096):
    """z = x * x with one input queue: copy in, compute and copy out take about equal time."""

    @cann.kernel
    def square(x, z):
        xGm, zGm = cann.GlobalTensor(cann.half), cann.GlobalTensor(cann.half)
        xGm.SetGlobalBuffer(x)
        zGm.SetGlobalBuffer(z)
        pipe = cann.TPipe()
        qin = cann.TQue(cann.TPosition.VECIN, buffers)
        qout = cann.TQue(cann.TPosition.VECOUT, buffers)
        pipe.InitBuffer(qin, buffers, 2 * tile)
        pipe.InitBuffer(qout, buffers, 2 * tile)
        for i in range(n // tile):
            t = qin.AllocTensor(cann.half)
            cann.DataCopy(t, xGm[i * tile], tile)
            qin.EnQue(t)
            t = qin.DeQue(cann.half)
            out = qout.AllocTensor(cann.half)
            cann.Mul(out, t, t, tile)
            qout.EnQue(out)
            qin.FreeTensor(t)
            out = qout.DeQue(cann.half)
            cann.DataCopy(zGm[i * tile], out, tile)
            qout.FreeTensor(out)

    x = np.full(n, 3, np.float16)
    z = np.zeros_like(x)
    with profiler.profile() as prof:
        square[1](x, z)
    assert (z == 9).all()
    return prof.launches[0].time_us


def test_double_buffering_about_2x_when_copy_and_compute_are_equal():
    assert 1.7 < square_time(1) / square_time(2) < 2.1
