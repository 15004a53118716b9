"""Atomics whose order matters, in loops or several on one array, run compiled in chunk-wide
passes (lockstep.py) with the vector engine's results: float sums whose rounding depends on
the order, returned slots, lanes whose trip counts differ, break/continue/return in the loop,
several chunks (a small `max_lanes`), checks on and off."""

import numpy as np
import pytest

from cudalike import config, cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled import survey_algorithms, survey_api_cuda, survey_pmpp
from tests.cudalike.compiled.tiers import compare_tiers

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
LANES = pytest.mark.parametrize("lanes", [128, 1 << 20], ids=["chunks", "one-chunk"])


def _compare(function, griddim, blockdim, make_args, checks, lanes, ran="compiled"):
    """Both tiers agree; the compiled tier's launch went as `ran` says; its arguments."""
    kernel = cuda.jit(function)
    with config.override(max_lanes=lanes):
        error, counts, compiled = compare_tiers(
            kernel, griddim, blockdim, make_args, checks, KernelError
        )
    assert counts.get(ran, 0) == 1, launcher.reasons.get(function.__name__, "")
    return error, compiled


def _mixed(rng, n):
    """float32 values whose sum depends on the order of the additions."""
    return rng.choice(np.array([1e8, 1.0, -1e8, 3.0, 0.5], np.float32), n)


# ---- the survey's kernels --------------------------------------------------------------------
def _case(module, name):
    return next(case for case in module.CASES if case.name == name)


SURVEY = [
    (survey_pmpp, "spmv_coo_grid_stride"),
    (survey_pmpp, "bfs_frontier"),
    (survey_api_cuda, "atomics_sharing_an_array"),
    (survey_algorithms, "cas_tickets"),
]


@CHECKS
@pytest.mark.parametrize("module, name", SURVEY, ids=[name for _, name in SURVEY])
def test_survey_kernel_runs_compiled_with_identical_arrays(module, name, checks):
    case = _case(module, name)
    error, _ = _compare(case.kernel, case.griddim, case.blockdim, case.make_args, checks, 1 << 20)
    assert error is None


# ---- a naive float sum and sums in nested loops ------------------------------------------
def naive_sum(x, total):
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        cuda.atomic.add(total, 0, x[i])


def spmv_grid_stride(rows, vals, y):
    for i in range(cuda.grid(1), vals.size, cuda.gridsize(1)):
        cuda.atomic.add(y, rows[i], vals[i])


def kmeans_sums(x, labels, sums, counts):
    start = cuda.grid(1)
    for i in range(start, x.shape[0], cuda.gridsize(1)):
        c = labels[i]
        cuda.atomic.add(counts, c, 1)
        for d in range(x.shape[1]):
            cuda.atomic.add(sums, (c, d), x[i, d])


def nested_one_element(x, total):
    i = cuda.grid(1)
    if i < x.shape[0]:
        for d in range(x.shape[1]):
            cuda.atomic.add(total, 0, x[i, d])


@CHECKS
@LANES
def test_naive_float_sum_in_lane_order(checks, lanes):
    def args(rng):
        return [_mixed(rng, 3001), np.zeros(1, np.float32)]

    _, compiled = _compare(naive_sum, 7, 64, args, checks, lanes)
    if lanes < 7 * 64:
        return
    x = args(np.random.default_rng(0))[0]
    per_thread = np.float32(0)  # each thread's terms together: another sum
    for thread in range(7 * 64):
        for value in x[thread::448]:
            per_thread = np.float32(per_thread + value)
    assert compiled[1][0] != per_thread  # the order shows in the result


@CHECKS
@LANES
def test_scattered_float_sums(checks, lanes):
    def args(rng):
        return [rng.integers(0, 5, 2000), _mixed(rng, 2000), np.zeros(5, np.float32)]

    _compare(spmv_grid_stride, 5, 96, args, checks, lanes)


@CHECKS
@LANES
def test_kmeans_style_sums_in_nested_loops(checks, lanes):
    def args(rng):
        x = _mixed(rng, 900 * 3).reshape(900, 3)
        return [x, rng.integers(0, 4, 900), np.zeros((4, 3), np.float32), np.zeros(4, np.int32)]

    _compare(kmeans_sums, 3, 64, args, checks, lanes)


@CHECKS
@LANES
def test_inner_loop_adding_to_one_element(checks, lanes):
    def args(rng):
        return [_mixed(rng, 300 * 7).reshape(300, 7), np.zeros(1, np.float64)]

    _compare(nested_one_element, 5, 64, args, checks, lanes)


# ---- returned slots, differing trip counts, leaving the loop -------------------------------
def slots_by_trips(counts, next_size, out, firsts):
    i = cuda.grid(1)
    if i < counts.size:
        for k in range(counts[i]):
            slot = cuda.atomic.add(next_size, 0, 1)
            out[slot] = i * 100 + k
            if k == 0:
                firsts[i] = slot


def slots_with_exits(counts, next_size, out, ks):
    i = cuda.grid(1)
    if i >= counts.size:
        return
    k = 0
    while True:
        k += 1
        if k % 3 == 0:
            continue
        if k > counts[i]:
            break
        slot = cuda.atomic.add(next_size, 0, 1)
        out[slot] = i * 100 + k
        if counts[i] == 5 and k == 4:
            return
    ks[i] = k


def float_sum_with_continue(x, total, seen):
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        if x[i] == 3.0:
            continue
        if x[i] == 0.5 and i % 7 == 0:
            break
        cuda.atomic.add(total, 0, x[i])
        seen[i] = 1


def exchanges_in_a_loop(values, slot, old):
    i = cuda.grid(1)
    if i < old.shape[0]:
        for k in range(i % 4):
            old[i, k] = cuda.atomic.exch(slot, 0, values[i] + k)


@CHECKS
@LANES
def test_returned_slots_with_differing_trip_counts(checks, lanes):
    def args(rng):
        counts = rng.integers(0, 6, 500).astype(np.int32)
        return [counts, np.zeros(1, np.int32), np.full(3000, -1, np.int64), np.zeros(500, np.int32)]

    _compare(slots_by_trips, 4, 128, args, checks, lanes)


@CHECKS
@LANES
def test_break_continue_and_return_in_the_loop(checks, lanes):
    def args(rng):
        counts = rng.integers(0, 9, 400).astype(np.int32)
        return [counts, np.zeros(1, np.int32), np.full(3000, -1, np.int64), np.zeros(400, np.int32)]

    _compare(slots_with_exits, 4, 128, args, checks, lanes)


@CHECKS
@LANES
def test_float_sum_with_break_and_continue(checks, lanes):
    def args(rng):
        return [_mixed(rng, 2500), np.zeros(1, np.float32), np.zeros(2500, np.int8)]

    _compare(float_sum_with_continue, 6, 64, args, checks, lanes)


@CHECKS
@LANES
def test_exchanges_in_a_loop(checks, lanes):
    def args(rng):
        return [rng.integers(0, 1000, 300), np.zeros(1, np.int64), np.full((300, 4), -1, np.int64)]

    _compare(exchanges_in_a_loop, 3, 128, args, checks, lanes)


# ---- several atomics on one array ------------------------------------------------------------
def two_sums_one_array(x, totals, firsts):
    i = cuda.grid(1)
    if i < x.size:
        cuda.atomic.add(totals, 0, x[i])
        firsts[i] = cuda.atomic.add(totals, 0, 1.0)
        if x[i] > 1.0:
            cuda.atomic.max(totals, 1, x[i] * 2.0)
        else:
            cuda.atomic.add(totals, 1, x[i])


@CHECKS
@LANES
def test_several_atomics_on_one_array(checks, lanes):
    def args(rng):
        return [_mixed(rng, 700), np.zeros(2, np.float32), np.zeros(700, np.float32)]

    _compare(two_sums_one_array, 3, 256, args, checks, lanes)


# ---- errors and what stays on the vector engine --------------------------------------------
def sum_out_of_bounds(x, total):
    for i in range(cuda.grid(1), x.size + 2, cuda.gridsize(1)):
        cuda.atomic.add(total, 0, x[i])


@CHECKS
def test_an_error_in_the_loop_is_handed_back(checks):
    def args(rng):
        return [_mixed(rng, 1000), np.zeros(1, np.float32)]

    error, _ = _compare(sum_out_of_bounds, 4, 64, args, checks, 128, ran="handed back")
    assert error is not None


def endless_lock(lock, out):
    i = cuda.grid(1)
    if i < out.size:
        while cuda.atomic.cas(lock, 0, 0, 1) != 0:
            pass
        out[i] = i
        cuda.atomic.exch(lock, 0, 0)


def test_a_spin_lock_runs_past_the_budget_on_both_tiers():
    def args(rng):
        return [np.zeros(1, np.int32), np.zeros(64, np.int32)]

    with config.override(loop_budget=500):
        error, _ = _compare(endless_lock, 1, 64, args, False, 128, ran="handed back")
    assert "budget" in str(error)


def atomic_reading_its_array(x, total):
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        cuda.atomic.add(total, 0, x[i] + total[1])


def with_barrier(x, total):
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        cuda.atomic.add(total, 0, x[i])
    cuda.syncthreads()


@pytest.mark.parametrize("function", [atomic_reading_its_array, with_barrier])
def test_outside_the_passes_stays_on_the_vector_engine(function):
    def args(rng):
        return [_mixed(rng, 500), np.zeros(2, np.float32)]

    _compare(function, 2, 64, args, True, 128, ran="outside subset")
    assert "whose order matters" in launcher.reasons[function.__name__]


def sum_and_racing_writes(x, total, last):
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        cuda.atomic.add(total, 0, x[i])
        last[0] = i


def test_a_race_beside_the_atomics_gets_the_vector_engines_report():
    def args(rng):
        return [_mixed(rng, 1000), np.zeros(1, np.float32), np.zeros(1, np.int64)]

    error, _ = _compare(sum_and_racing_writes, 4, 64, args, True, 128, ran="handed back")
    assert "data race" in str(error)


def write_then_neighbour_read(x, total, out, seen):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = i
        for k in range(2):
            cuda.atomic.add(total, 0, x[i] + k)
        seen[i] = out[(i + 1) % out.size]


def read_then_neighbour_write(x, total, out, seen):
    i = cuda.grid(1)
    if i < out.size:
        seen[i] = out[(i + 1) % out.size]
        for k in range(2):
            cuda.atomic.add(total, 0, x[i] + k)
        out[i] = i


@pytest.mark.parametrize("function", [write_then_neighbour_read, read_then_neighbour_write])
def test_races_across_passes_get_the_vector_engines_report(function):
    def args(rng):
        return [
            _mixed(rng, 200),
            np.zeros(1, np.float32),
            np.zeros(200, np.int64),
            np.zeros(200, np.int64),
        ]

    kernel = cuda.jit(function)
    with config.override(max_lanes=128):
        error, counts, _ = compare_tiers(kernel, 4, 64, args, True, KernelError)
    assert counts.get("handed back" if error is not None else "compiled", 0) == 1
