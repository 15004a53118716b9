"""The canonical add kernel: numpy oracle on awkward sizes, double buffering, overlap, speed."""

import json
import time

import numpy as np
import pytest

from cudalike import profiler
from cudalike.cann.examples.add import add, add_tiling


@pytest.mark.parametrize("n", [1, 15, 16, 17, 1000, 4099, 65_543])
@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_matches_numpy_on_awkward_sizes(n, dtype):
    rng = np.random.default_rng(n)
    x = (rng.standard_normal(n) * 100).astype(dtype)
    y = (rng.standard_normal(n) * 100).astype(dtype)
    np.testing.assert_array_equal(add(x, y, num_blocks=8, tile_length=256), x + y)


def test_tiling_arithmetic():
    blocks, tiling = add_tiling(2**20, 48, 2048)
    assert blocks == 48 and tiling.blockLength % 16 == 0
    assert tiling.blockLength * 47 < 2**20 <= tiling.blockLength * 48


def model(n, blocks, tile, buffers):
    x = np.ones(n, np.float16)
    with profiler.profile() as prof:
        add(x, x, num_blocks=blocks, tile_length=tile, buffer_num=buffers)
    return prof.launches[0]


def test_double_buffering_speeds_up_a_balanced_configuration():
    single = model(2**17, 1, 8192, 1)
    double = model(2**17, 1, 8192, 2)
    speedup = single.time_us / double.time_us
    # MTE2 carries two inputs, so it needs about twice the Add's time: (2 + 1) / 2 = 1.5.
    assert 1.35 < speedup < 2.0, speedup
    assert single.bound == "latency" and double.bound == "mte2"


def test_double_buffering_does_little_when_copy_bound():
    single = model(2**20, 48, 2048, 1)
    double = model(2**20, 48, 2048, 2)
    assert single.time_us / double.time_us < 1.15
    assert double.bound == "gm_bandwidth"


def test_timeline_shows_mte2_overlapping_v_with_two_buffers():
    def overlap(record):
        copies = [e for e in record.events if e.pipe == "MTE2" and e.core == 0]
        adds = [e for e in record.events if e.pipe == "V" and e.core == 0]
        return sum(
            max(0.0, min(c.end_cycle, a.end_cycle) - max(c.start_cycle, a.start_cycle))
            for c in copies
            for a in adds
        )

    assert overlap(model(2**15, 1, 4096, 2)) > 0
    assert overlap(model(2**15, 1, 4096, 1)) == 0


def test_record_lines_and_trace(tmp_path):
    record = model(2**14, 4, 1024, 2)
    assert set(record.metrics) >= {
        "aiv_vec_ratio",
        "aiv_mte2_ratio",
        "aiv_mte3_ratio",
        "aiv_scalar_ratio",
        "aic_cube_ratio",
        "aic_mte1_ratio",
        "aic_fixpipe_ratio",
    }
    sources = {line["source"].strip() for line in record.lines}
    assert "Add(zLocal, xLocal, yLocal, length)" in sources
    path = tmp_path / "trace.json"
    record.export_trace(path)
    trace = json.loads(path.read_text())["traceEvents"]
    assert {e["pid"] for e in trace} == {0, 1, 2, 3}
    assert any(e["ph"] == "X" and e["name"] == "Add" for e in trace)
    json.dumps(record.to_dict())


def test_more_cores_scale_until_the_gm_roof():
    times = {blocks: model(2**20, blocks, 2048, 2).time_us for blocks in (1, 4, 16, 48)}
    assert times[1] / times[4] > 3.5
    assert times[16] / times[48] < 1.5  # GM bandwidth, not cores, limits 48 blocks


def test_tiny_tiles_are_slower():
    assert model(2**16, 1, 64, 2).time_us > 2 * model(2**16, 1, 4096, 2).time_us


def test_speed_2_20_halves_48_blocks_under_2_s():
    x = np.ones(2**20, np.float16)
    start = time.perf_counter()
    with profiler.profile():
        add(x, x, num_blocks=48, tile_length=2048)
    assert time.perf_counter() - start < 2.0
