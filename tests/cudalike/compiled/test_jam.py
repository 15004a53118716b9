"""Jammed loops (several threads' iterations interleaved) and local arrays filled first (no
written flags) give the vector engine's arrays bit for bit, its reports and its loop budget;
loops outside the jammed shape run per thread."""

import inspect

import numpy as np
import pytest
from numba import float32

from cudalike import config, cuda
from cudalike.errors import (
    OutOfBoundsError,
    RaceError,
    RunawayKernelError,
    UninitializedReadError,
)
from cudalike.simt.compiled import launcher

pytestmark = pytest.mark.slow


def uneven_dots(a, b, lengths, out):
    # Trip counts differ between threads (groups with unequal bounds run thread by thread),
    # a return before the loop, variables crossing the loop, statements after it at two depths.
    i = cuda.grid(1)
    last = -1
    if i >= out.shape[0]:
        return
    scale = float32(1) + float32(i % 3)
    if lengths[i] > 0:
        acc = float32(0.25)
        for k in range(lengths[i]):
            acc += a[i, k] * b[k] * scale
            last = k
        out[i, 0] = acc
    out[i, 1] = float32(last)


def row_sums_2d(a, out):
    # sgemm1's shape: 2-D blocks, the loop under a bounds test, equal trip counts (groups of
    # threads jammed), threadIdx read inside the loop.
    x, y = cuda.grid(2)
    if x < out.shape[0] and y < out.shape[1]:
        acc = float32(0)
        for k in range(0, a.shape[1], 2):
            acc = acc * float32(0.5) + a[x, k] * float32(cuda.threadIdx.y + 1) + float32(y)
        out[x, y] = acc


def past_the_end(a, out):
    i = cuda.grid(1)
    if i < out.size:
        acc = float32(0)
        n = a.shape[1]
        if i == 37:
            n = n + 1  # thread 37 reads one element too far
        for k in range(n):
            acc += a[i, k]
        out[i] = acc


def long_sums(a, out, n):
    i = cuda.grid(1)
    if i < out.size:
        acc = float32(0)
        for k in range(n):
            acc += a[k % a.size]
        out[i] = acc


def _run(function, griddim, blockdim, make, tier, checks):
    kernel = cuda.jit(function)
    args = make()
    before = launcher.outcomes["compiled"]
    with config.override(tier=tier, checks=checks):
        kernel[griddim, blockdim](*args)
    return kernel, args, launcher.outcomes["compiled"] - before


def _driver_source(kernel) -> str:
    return "".join(inspect.getsource(d.py_func) for d in launcher._drivers[kernel].values())


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
def test_uneven_loops_with_returns_match_the_vector_engine(checks):
    rng = np.random.default_rng(3)
    a = rng.random((203, 40), dtype=np.float32)
    b = rng.random(40, dtype=np.float32)
    lengths = rng.integers(-2, 41, 203).astype(np.int32)
    lengths[:64] = 40  # whole groups of equal bounds too

    def make():
        return [a, b, lengths, np.zeros((203, 2), np.float32)]

    _, vector, _ = _run(uneven_dots, 4, 64, make, "vector", checks)
    kernel, compiled, runs = _run(uneven_dots, 4, 64, make, "compiled", checks)
    assert runs == 1
    assert np.array_equal(vector[3], compiled[3])
    assert "rt.same_bounds" in _driver_source(kernel)


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
def test_two_dimensional_blocks_jammed_match_the_vector_engine(checks):
    a = np.random.default_rng(4).random((70, 33), dtype=np.float32)

    def make():
        return [a, np.zeros((70, 45), np.float32)]

    _, vector, _ = _run(row_sums_2d, (3, 4), (32, 12), make, "vector", checks)
    kernel, compiled, runs = _run(row_sums_2d, (3, 4), (32, 12), make, "compiled", checks)
    assert runs == 1
    assert np.array_equal(vector[1], compiled[1])
    assert "rt.same_bounds" in _driver_source(kernel)


def test_a_fault_in_a_jammed_loop_is_reported_as_by_the_vector_engine():
    a = np.ones((100, 16), np.float32)
    reports = []
    for tier in ("vector", "compiled"):
        out = np.full(100, 7.0, np.float32)
        with config.override(tier=tier), pytest.raises(OutOfBoundsError) as error:
            cuda.jit(past_the_end)[2, 64](a, out)
        reports.append((str(error.value), error.value.line, tuple(error.value.block)))
    assert reports[0] == reports[1]
    assert "thread (37, 0, 0)" in reports[0][0]


def test_without_checks_a_jammed_loop_out_of_bounds_is_run_by_the_vector_engine():
    a = np.ones((100, 16), np.float32)

    def make():
        return [a, np.full(100, 7.0, np.float32)]

    _, vector, _ = _run(past_the_end, 2, 64, make, "vector", False)
    before = launcher.outcomes["handed back"]
    _, compiled, runs = _run(past_the_end, 2, 64, make, "compiled", False)
    assert runs == 0 and launcher.outcomes["handed back"] == before + 1
    assert np.array_equal(vector[1], compiled[1])


def test_a_jammed_loop_counts_against_the_loop_budget():
    a = np.ones(8, np.float32)
    reports = []
    for tier in ("vector", "compiled"):
        with config.override(tier=tier, loop_budget=1000):
            with pytest.raises(RunawayKernelError) as error:
                cuda.jit(long_sums)[1, 32](a, np.zeros(32, np.float32), 5000)
        reports.append(str(error.value))
    assert reports[0] == reports[1]


def nested_loops(a, out):
    i = cuda.grid(1)
    if i < out.size:
        acc = float32(0)
        for r in range(4):
            for k in range(a.shape[1]):
                acc += a[i, k] * float32(r)
        out[i] = acc


def loop_with_atomic(a, out, total):
    i = cuda.grid(1)
    if i < out.size:
        acc = float32(0)
        for k in range(a.shape[1]):
            acc += a[i, k]
            cuda.atomic.add(total, 0, 1)
        out[i] = acc


@pytest.mark.parametrize(
    ("function", "make"),
    [
        (nested_loops, lambda: [np.ones((50, 6), np.float32), np.zeros(50, np.float32)]),
        (
            loop_with_atomic,
            lambda: [np.ones((50, 6), np.float32), np.zeros(50, np.float32), np.zeros(1, np.int64)],
        ),
    ],
    ids=["nested", "atomic"],
)
def test_loops_outside_the_jammed_shape_run_per_thread(function, make):
    _, vector, _ = _run(function, 1, 64, make, "vector", False)
    kernel, compiled, runs = _run(function, 1, 64, make, "compiled", False)
    assert runs == 1
    assert all(np.array_equal(v, c) for v, c in zip(vector, compiled, strict=True))
    assert "rt.same_bounds" not in _driver_source(kernel)


def matching_lanes(a, out):
    i = cuda.grid(1)
    out[i] = cuda.match_any_sync(0xFFFFFFFF, a[i] % 4)


def test_match_any_sync_runs_compiled_with_the_same_masks():
    a = np.arange(64, dtype=np.int32)
    results = []
    for tier in ("vector", "compiled"):
        out = np.zeros(64, np.int32)
        before = launcher.outcomes["compiled"]
        with config.override(tier=tier):
            cuda.jit(matching_lanes)[2, 32](a, out)
        assert launcher.outcomes["compiled"] == before + (tier == "compiled")
        results.append(out)
    assert np.array_equal(results[0], results[1])


def filled_then_used(a, out):
    i = cuda.grid(1)
    parts = cuda.local.array(4, float32)
    for r in range(4):
        parts[r] = float32(r)
    if i < out.size:
        for r in range(4):
            parts[r] += a[i] * float32(r)
        out[i] = parts[0] + parts[1] + parts[2] + parts[3]


def filled_in_part(a, out):
    i = cuda.grid(1)
    parts = cuda.local.array(4, float32)
    for r in range(3):  # parts[3] is never written
        parts[r] = float32(r)
    if i < out.size:
        out[i] = parts[3] + a[i]


def test_a_local_array_filled_first_needs_no_written_flags():
    a = np.linspace(0, 1, 100, dtype=np.float32)

    def make():
        return [a, np.zeros(100, np.float32)]

    _, vector, _ = _run(filled_then_used, 2, 64, make, "vector", True)
    kernel, compiled, runs = _run(filled_then_used, 2, 64, make, "compiled", True)
    assert runs == 1
    assert np.array_equal(vector[1], compiled[1])
    assert "rt.local_" not in _driver_source(kernel)


def test_a_local_array_filled_in_part_keeps_its_checks_and_report():
    a = np.ones(100, np.float32)
    reports = []
    for tier in ("vector", "compiled"):
        with config.override(tier=tier), pytest.raises(UninitializedReadError) as error:
            cuda.jit(filled_in_part)[2, 64](a, np.zeros(100, np.float32))
        reports.append(str(error.value))
    assert reports[0] == reports[1]


def staged_sums(a, weights, out):
    # A jammed loop between barriers, 3-D blocks, the lane number inside the loop.
    stage = cuda.shared.array(64, float32)
    tid = cuda.threadIdx.x + cuda.blockDim.x * (
        cuda.threadIdx.y + cuda.blockDim.y * cuda.threadIdx.z
    )
    total = float32(0)
    for base in range(0, a.size, 64):
        if tid < 64:
            stage[tid] = a[base + tid]
        cuda.syncthreads()
        acc = float32(0)
        for k in range(weights.size):
            acc += stage[(k + tid) % 64] * weights[k] + float32(cuda.laneid)
        total += acc
        cuda.syncthreads()
    out[cuda.blockIdx.x * 96 + tid] = total


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
def test_a_jammed_loop_between_barriers_matches_the_vector_engine(checks):
    rng = np.random.default_rng(5)
    a = rng.random(192, dtype=np.float32)
    weights = rng.random(70, dtype=np.float32)

    def make():
        return [a, weights, np.zeros(192, np.float32)]

    _, vector, _ = _run(staged_sums, 2, (4, 8, 3), make, "vector", checks)
    kernel, compiled, runs = _run(staged_sums, 2, (4, 8, 3), make, "compiled", checks)
    assert runs == 1
    assert np.array_equal(vector[2], compiled[2])
    assert "rt.same_bounds" in _driver_source(kernel)  # its tile reads are quiet


def staged_in_part(a, weights, filled, out):
    # The threads below `filled` stage the tile; the jammed loop reads all of it.
    stage = cuda.shared.array(64, float32)
    tid = cuda.threadIdx.x
    if tid < filled:
        stage[tid] = a[tid]
    cuda.syncthreads()
    acc = float32(0)
    for k in range(weights.size):
        acc += stage[(k + tid) % 64] * weights[k]
    cuda.syncthreads()
    out[tid] = acc


def staged_without_barrier(a, weights, out):
    # The loop reads elements other threads stage in the same segment: a race.
    stage = cuda.shared.array(64, float32)
    tid = cuda.threadIdx.x
    stage[tid] = a[tid]
    acc = float32(0)
    for k in range(weights.size):
        acc += stage[(k + tid) % 64] * weights[k]
    cuda.syncthreads()
    out[tid] = acc


def _reports(function, args, error) -> list[str]:
    reports = []
    for tier in ("vector", "compiled"):
        with config.override(tier=tier, checks=True), pytest.raises(error) as raised:
            cuda.jit(function)[1, 64](*args)
        reports.append(str(raised.value))
    return reports


def test_a_jammed_loop_reading_a_tile_written_in_part_is_reported_as_by_the_vector_engine():
    a = np.ones(64, np.float32)
    weights = np.ones(70, np.float32)
    _, vector, _ = _run(
        staged_in_part, 1, 64, lambda: [a, weights, 64, np.zeros(64)], "vector", True
    )
    kernel, compiled, runs = _run(
        staged_in_part, 1, 64, lambda: [a, weights, 64, np.zeros(64)], "compiled", True
    )
    assert runs == 1 and np.array_equal(vector[3], compiled[3])
    assert "rt.same_bounds" in _driver_source(kernel)
    reports = _reports(staged_in_part, [a, weights, 60, np.zeros(64)], UninitializedReadError)
    assert reports[0] == reports[1]


def test_a_race_on_a_tile_read_in_a_jammed_loop_is_reported_as_by_the_vector_engine():
    a = np.ones(64, np.float32)
    weights = np.ones(70, np.float32)
    reports = _reports(staged_without_barrier, [a, weights, np.zeros(64)], RaceError)
    assert reports[0] == reports[1]
    kernel, _, _ = _run(
        staged_without_barrier, 1, 64, lambda: [a, weights, np.zeros(64)], "compiled", False
    )
    assert "rt.same_bounds" in _driver_source(kernel)  # jammed where nothing is checked
