"""The profiler's default sample_blocks="auto": large launches are block-sampled, small ones
run every block, and the choice comes from counted work, so it is the same on every run."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from cudalike import cuda, profiler
from cudalike.simt import profiling
from tests.cudalike.simt import kernels

TILE = 16


matmul_naive = kernels.jit("matmul_kernels", "matmul_naive")


@cuda.jit
def scale(x, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = 2 * x[i]


def _matrices(n: int):
    rng = np.random.default_rng(3)
    a = rng.integers(-3, 4, (n, n)).astype(np.float32)  # small integers: exact sums
    b = rng.integers(-3, 4, (n, n)).astype(np.float32)
    return a, b, np.zeros((n, n), np.float32)


def _profile_matmul(n: int, **options):
    """(record, result, warnings raised) of one profiled naive matrix product."""
    a, b, c = _matrices(n)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with profiler.profile(device="H100", **options) as prof:
            matmul_naive[(n // TILE, n // TILE), (TILE, TILE)](a, b, c)
    return prof.launches[0], c, [w for w in caught if w.category is profiler.SampledLaunchWarning]


def test_a_large_launch_is_block_sampled_and_says_so():
    # 1024 blocks of 256 threads, each thread a K loop of 1024: about 2**25 warp instructions.
    record, result, caught = _profile_matmul(1024)
    assert record.sampled and record.sampled_blocks == profiling.AUTO_BLOCKS
    assert len(caught) == 1  # once per launch, not per block
    message = str(caught[0].message)
    assert "'matmul_naive' ran 16 of its 4,096 blocks" in message
    assert "outputs are incomplete" in message
    assert "profiler.profile(sample_blocks=None)" in message
    assert caught[0].filename == __file__  # points at the line that launched
    rows, cols = np.nonzero(result)
    assert len({(r // TILE, c // TILE) for r, c in zip(rows, cols, strict=True)}) <= 16


def test_the_automatic_choice_is_deterministic():
    first, _, _ = _profile_matmul(1024)
    second, _, _ = _profile_matmul(1024)
    assert first.sampled_blocks == second.sampled_blocks
    assert first.metrics == second.metrics
    assert first.time_us == second.time_us


def test_a_small_launch_runs_every_block_without_a_warning():
    record, result, caught = _profile_matmul(128)
    assert not record.sampled and record.sampled_blocks is None
    assert caught == []
    a, b, _ = _matrices(128)
    np.testing.assert_array_equal(result, a @ b)


def test_sample_blocks_none_runs_every_block_of_a_large_launch(monkeypatch):
    # A lower limit makes a small launch count as large; None still runs all of it.
    monkeypatch.setattr(profiling, "AUTO_INSTRUCTIONS", 1000)
    record, result, caught = _profile_matmul(128, sample_blocks=None)
    assert record.sampled_blocks is None and caught == []
    a, b, _ = _matrices(128)
    np.testing.assert_array_equal(result, a @ b)
    sampled, _, caught = _profile_matmul(128)  # the default samples it under that limit
    assert sampled.sampled_blocks == profiling.AUTO_BLOCKS and len(caught) == 1


def test_a_memory_heavy_launch_is_sampled_by_its_traffic(monkeypatch):
    # Few instructions per block but much global traffic: the bytes limit decides.
    monkeypatch.setattr(profiling, "AUTO_BYTES", 2**16)
    x = np.arange(1 << 16, dtype=np.float32)
    out = np.zeros_like(x)
    with pytest.warns(profiler.SampledLaunchWarning, match="'scale' ran 16 of its 256 blocks"):
        with profiler.profile(device="H100") as prof:
            scale[256, 256](x, out)
    assert prof.launches[0].sampled_blocks == 16
    assert (out == 0).any()


@cuda.jit
def sequential_rows(rows):
    col = cuda.grid(1)
    grid = cuda.cg.this_grid()
    for row in range(1, rows.shape[0]):
        rows[row, col] = rows[row - 1, rows.shape[1] - col - 1] + 1
        grid.sync()


def test_a_launch_that_synchronises_the_grid_always_runs_every_block(monkeypatch):
    # grid.sync() waits for every block: block 0 cannot run alone first.
    monkeypatch.setattr(profiling, "AUTO_INSTRUCTIONS", 10)
    rows = np.zeros((4, 32 * 32), np.int32)
    with warnings.catch_warnings():
        warnings.simplefilter("error", profiler.SampledLaunchWarning)
        with profiler.profile(device="H100") as prof:
            sequential_rows[32, 32](rows)
    assert prof.launches[0].sampled_blocks is None
    np.testing.assert_array_equal(rows[:, 0], np.arange(4))


def test_an_explicit_number_keeps_its_meaning_and_does_not_warn():
    record, _, caught = _profile_matmul(128, sample_blocks=4)
    assert record.sampled_blocks == 4 and caught == []


def test_the_summary_says_how_many_blocks_of_the_grid_ran():
    a, b, c = _matrices(1024)
    with pytest.warns(profiler.SampledLaunchWarning):
        with profiler.profile(device="H100") as prof:
            matmul_naive[(64, 64), (TILE, TILE)](a, b, c)
    assert "sampled 16 of 4,096 blocks" in prof.summary()


@pytest.mark.parametrize("wrong", [0, -2, 2.5, "all", True])
def test_a_wrong_sample_blocks_is_refused_clearly(wrong):
    with pytest.raises(ValueError, match="sample_blocks"):
        with profiler.profile(sample_blocks=wrong):
            pass


@pytest.mark.slow
def test_the_automatic_sample_stays_within_5_percent_of_a_run_without_sampling(monkeypatch):
    # docs/performance.md: the bound the profiler keeps for kernels whose blocks do the same
    # work. A lower limit makes N=256 (256 blocks) count as large, so that the reference, with
    # every block and every iteration counted, takes seconds rather than a minute.
    monkeypatch.setattr(profiling, "AUTO_INSTRUCTIONS", 2**20)
    n = 256
    sampled, _, caught = _profile_matmul(n)
    assert sampled.sampled_blocks == profiling.AUTO_BLOCKS and len(caught) == 1
    assert sampled.sampled_loops > 0
    full, result, _ = _profile_matmul(n, sample_blocks=None, sample_loops=False)
    assert full.sampled_blocks is None and full.sampled_loops == 0
    a, b, _ = _matrices(n)
    np.testing.assert_array_equal(result, a @ b)
    assert abs(sampled.time_us / full.time_us - 1) < 0.05
