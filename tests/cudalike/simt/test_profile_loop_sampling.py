"""Loop sampling in profiled launches: the modelled answer stays, results stay, time shrinks."""

from __future__ import annotations

import ast
import inspect
import textwrap

import numpy as np
import pytest
from numba import float32

from cudalike import config, cuda, profiler
from cudalike.errors import RunawayKernelError
from cudalike.simt import loop_sampling

TILE = 16
BOUND = 0.01  # docs/performance.md: repeating loops are extrapolated exactly, up to footprints


@cuda.jit
def matmul_naive(a, b, c):
    row, col = cuda.grid(2)
    if row < c.shape[0] and col < c.shape[1]:
        acc = float32(0)
        for k in range(a.shape[1]):
            acc += a[row, k] * b[k, col]
        c[row, col] = acc


@cuda.jit
def matmul_tiled(a, b, c):
    # A K loop with two barriers inside: each iteration stages a tile in shared memory.
    sa = cuda.shared.array((TILE, TILE), float32)
    sb = cuda.shared.array((TILE, TILE), float32)
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    row = cuda.blockIdx.y * TILE + ty
    col = cuda.blockIdx.x * TILE + tx
    acc = float32(0)
    for t in range(0, a.shape[1], TILE):
        sa[ty, tx] = a[row, t + tx]
        sb[ty, tx] = b[t + ty, col]
        cuda.syncthreads()
        for k in range(TILE):
            acc += sa[ty, k] * sb[k, tx]
        cuda.syncthreads()
    c[row, col] = acc


@cuda.jit
def ragged_sums(lengths, values, out):
    # Each thread's trip count comes from the data: never sampled.
    i = cuda.grid(1)
    if i < out.size:
        acc = float32(0)
        for k in range(lengths[i]):
            acc += values[k]
        out[i] = acc


@cuda.jit
def count_then_use(values, out):
    # The first loop leaves `n` in a register that sets the second loop's trip count: skipping
    # its iterations would change what runs next, so it may only be counted, not skipped.
    i = cuda.grid(1)
    n = 0
    for k in range(64):
        if values[k] > 0:
            n += 1
    acc = float32(0)
    for k in range(n):
        acc += values[k]
    out[i] = acc


@cuda.jit
def local_results(a, out):
    # A 32-trip loop fills a local array that is read afterwards.
    results = cuda.local.array(32, float32)
    i = cuda.grid(1)
    for k in range(32):
        results[k] = a[i] + k
    total = float32(0)
    for k in range(32):
        total += results[k]
    out[i] = total


def _profile(kernel, geometry, args, **options):
    with profiler.profile(device="H100", **options) as prof:
        kernel[geometry](*args)
    return prof.launches[0]


def _matrices(n):
    rng = np.random.default_rng(1)
    a = rng.integers(-2, 3, (n, n)).astype(np.float32)
    b = rng.integers(-2, 3, (n, n)).astype(np.float32)
    return a, b


@pytest.mark.parametrize("kernel", [matmul_naive, matmul_tiled])
def test_matmul_k_loop_is_sampled_and_agrees_with_counting_every_iteration(kernel):
    n = 128
    a, b = _matrices(n)
    geometry = ((n // TILE, n // TILE), (TILE, TILE))
    outputs, records = [], []
    for sample_loops in (True, False):
        c = np.zeros((n, n), np.float32)
        records.append(_profile(kernel, geometry, (a, b, c), sample_loops=sample_loops))
        outputs.append(c)
    sampled, full = records
    assert sampled.sampled_loops > 0 and full.sampled_loops == 0
    assert sampled.time_us == pytest.approx(full.time_us, rel=BOUND)
    for name in ("smsp__inst_executed.sum", "cudalike__flops.sum", "cudalike__barriers.sum"):
        assert sampled.metrics[name] == full.metrics[name]
    for c in outputs:  # every block ran, so every iteration ran: results are right
        np.testing.assert_array_equal(c, a @ b)


def test_barriers_inside_a_sampled_loop_with_sampled_blocks():
    n = 256
    a, b = _matrices(n)
    geometry = ((n // TILE, n // TILE), (TILE, TILE))
    sampled = _profile(matmul_tiled, geometry, (a, b, np.zeros_like(a)), sample_blocks=4)
    full = _profile(
        matmul_tiled, geometry, (a, b, np.zeros_like(a)), sample_blocks=4, sample_loops=False
    )
    assert sampled.sampled_loops > 0
    assert sampled.metrics["cudalike__barriers.sum"] == full.metrics["cudalike__barriers.sum"]
    assert sampled.time_us == pytest.approx(full.time_us, rel=BOUND)


def test_a_data_dependent_trip_count_is_not_sampled():
    lengths = np.arange(256, dtype=np.int32) % 40
    values = np.ones(64, np.float32)
    out = np.zeros(256, np.float32)
    sampled = _profile(ragged_sums, (2, 128), (lengths, values, out))
    full = _profile(
        ragged_sums, (2, 128), (lengths, values, np.zeros_like(out)), sample_loops=False
    )
    assert sampled.sampled_loops == 0
    assert sampled.metrics == full.metrics
    np.testing.assert_array_equal(out, lengths.astype(np.float32))


def test_a_loop_whose_register_steers_later_code_is_not_skipped():
    values = np.where(np.arange(64) % 3 == 0, 1.0, -1.0).astype(np.float32)
    grid = (8, 64)
    sampled = _profile(count_then_use, grid, (values, np.zeros(512, np.float32)), sample_blocks=2)
    full = _profile(
        count_then_use,
        grid,
        (values, np.zeros(512, np.float32)),
        sample_blocks=2,
        sample_loops=False,
    )
    assert sampled.time_us == pytest.approx(full.time_us, rel=BOUND)
    assert sampled.metrics["smsp__inst_executed.sum"] == full.metrics["smsp__inst_executed.sum"]


def test_skipped_iterations_raise_no_false_uninitialised_read():
    a = np.arange(1024, dtype=np.float32)
    sampled = _profile(local_results, (8, 128), (a, np.zeros_like(a)), sample_blocks=2)
    full = _profile(
        local_results, (8, 128), (a, np.zeros_like(a)), sample_blocks=2, sample_loops=False
    )
    assert sampled.sampled_loops > 0
    assert sampled.time_us == pytest.approx(full.time_us, rel=BOUND)


def test_sampled_loops_are_reported():
    a, b = _matrices(64)
    with profiler.profile(device="H100") as prof:
        matmul_naive[(4, 4), (16, 16)](a, b, np.zeros_like(a))
    assert "extrapolated" in prof.summary()


@cuda.jit
def long_loop(a, out):
    acc = float32(0)
    for k in range(3000):
        acc += a[k % a.size]
    out[0] = acc


@cuda.jit
def endless(flag, out):
    while flag[0] > 0:
        out[0] += 1


def test_a_long_legitimate_profiled_loop_is_not_a_runaway():
    # The time budget guards loops that may never end; a for over range() always ends, so a
    # slow (profiled) launch is never reported as endless however long it takes.
    a = np.ones(64, np.float32)
    out = np.zeros(1, np.float32)
    with config.override(time_budget_s=1e-6):
        _profile(long_loop, (1, 32), (a, out), sample_loops=False)
    assert out[0] == 3000


def test_an_endless_while_loop_still_runs_out_of_time():
    with config.override(time_budget_s=1e-6), pytest.raises(RunawayKernelError, match="second"):
        endless[1, 32](np.ones(1, np.int32), np.zeros(1, np.int32))


@cuda.jit
def count_then_use_indirectly(values, out):
    i = cuda.grid(1)
    n = 0
    for k in range(64):
        if values[k] > 0:
            n += 1
    half = n // 2
    acc = float32(0)
    for k in range(half):
        acc += values[k]
    out[i] = acc


def test_skipping_follows_a_register_through_later_assignments():
    values = np.where(np.arange(64) % 3 == 0, 1.0, -1.0).astype(np.float32)
    records = [
        _profile(
            count_then_use_indirectly,
            (8, 64),
            (values, np.zeros(512, np.float32)),
            sample_blocks=2,
            sample_loops=sample_loops,
        )
        for sample_loops in (True, False)
    ]
    assert records[0].metrics["smsp__inst_executed.sum"] == pytest.approx(
        records[1].metrics["smsp__inst_executed.sum"], rel=1e-12
    )


def test_a_matmul_k_loop_is_skippable_though_its_result_is_stored_by_index():
    tree = ast.parse(textwrap.dedent(inspect.getsource(matmul_naive.py_func)))
    function = tree.body[0]
    loop = next(n for n in ast.walk(function) if isinstance(n, ast.For))
    assert loop_sampling.skippable(function, loop)


@cuda.jit
def far_too_long(out):
    for k in range(10**12):
        out[0] += k


def test_a_for_loop_past_the_iteration_budget_stops_at_once():
    with pytest.raises(RunawayKernelError, match="iterations"):
        far_too_long[1, 32](np.zeros(1, np.int64))


@cuda.jit
def work_changes_halfway(a, out):
    # The first 100 iterations are light, the next 100 heavy: a statement the sampled
    # iterations never ran shows up later, so its iterations are counted, not extrapolated.
    i = cuda.grid(1)
    acc = a[i]
    for k in range(200):
        if k >= 100:
            acc = acc * a[(i + k) % a.size] + a[(i * 7 + k) % a.size]
    out[i] = acc


def test_later_iterations_that_differ_are_counted_when_every_block_runs():
    a = np.ones(256, np.float32)
    sampled = _profile(work_changes_halfway, (2, 128), (a, np.zeros_like(a)))
    full = _profile(work_changes_halfway, (2, 128), (a, np.zeros_like(a)), sample_loops=False)
    assert sampled.time_us == pytest.approx(full.time_us, rel=BOUND)
    for name in ("smsp__inst_executed.sum", "cudalike__flops.sum"):
        assert sampled.metrics[name] == pytest.approx(full.metrics[name], rel=BOUND)
