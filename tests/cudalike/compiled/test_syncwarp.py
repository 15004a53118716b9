"""`cuda.syncwarp()` on the compiled tier: Harris's reductions 5 and 7 and small variants give
the vector engine's arrays and reports, and run compiled where the vector engine's rules allow.

A syncwarp orders the accesses of one warp's threads; accesses of different warps stay races
until a block barrier; a syncwarp under a condition that divides a warp, or with another member
mask (which the vector engine does not read), runs compiled too.
"""

import numpy as np
import pytest
from numba import float32

from cudalike import cuda
from cudalike.errors import RaceError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers
from tests.cudalike.model.files import lesson_kernels

pytestmark = pytest.mark.slow

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])


def _both_tiers(kernel, griddim, blockdim, make_args, checks):
    """The race error the launch raised on both tiers (or None), after asserting that both
    tiers leave the same arrays and raise the same error, and the compiled tier's outcomes."""
    return compare_tiers(kernel, griddim, blockdim, make_args, checks, RaceError, seed=5)[:2]


# ---- Harris's kernels 5 and 7 (tests/cudalike/model/files/lesson_kernels.py) -----------------
LESSONS = lesson_kernels.load()
TPB = LESSONS.RED_TPB


@CHECKS
@pytest.mark.parametrize(
    "name, per_block",
    [("reduce5_unroll_last_warp", 2 * TPB), ("reduce7_multiple_elements", 2 * TPB * 8)],
)
def test_harris_reductions_with_syncwarp_run_compiled(name, per_block, checks):
    n = 4 * 2 * TPB * 8
    blocks = n // per_block

    def make_args(rng):
        return [rng.integers(0, 4, n).astype(np.float32), np.zeros(blocks, np.float32)]

    error, counts = _both_tiers(cuda.jit(getattr(LESSONS, name)), blocks, TPB, make_args, checks)
    assert error is None
    assert counts["compiled"] == 1, launcher.reasons.get(name)


# ---- correct variants ---------------------------------------------------------------------
def neighbours_after_syncwarp(a, out):
    """Each lane reads its neighbour's element, then overwrites its own: a syncwarp before
    each step orders the lanes of the warp."""
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    s[t] = a[cuda.grid(1)]
    cuda.syncwarp()
    v = s[t ^ 1]
    cuda.syncwarp(0xFFFFFFFF)
    s[t] = v * 2
    cuda.syncwarp()
    out[cuda.grid(1)] = s[t ^ 1]


def syncwarp_after_return(a, out):
    """Threads past the end leave; the live lanes of the last warps still meet."""
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    if i >= a.size:
        return
    s[t] = a[i]
    cuda.syncwarp()
    out[i] = s[t ^ 1]


def middle_warp_and_the_others(a, out):
    """Each branch runs only its own warps: warp 1 in one, warps 0 and 2 in the other."""
    s = cuda.shared.array(96, float32)
    t = cuda.threadIdx.x
    s[t] = a[cuda.grid(1)]
    cuda.syncthreads()
    if t // 32 == 1:
        v = s[t] + s[t ^ 16]
        cuda.syncwarp()
        s[t] = v
    else:
        v = s[t] - s[t ^ 1]
        cuda.syncwarp()
        s[t] = v
    cuda.syncwarp()
    out[cuda.grid(1)] = s[t ^ 3] + v


def _floats(n):
    return lambda rng: [rng.standard_normal(n).astype(np.float32), np.zeros(n, np.float32)]


@CHECKS
@pytest.mark.parametrize(
    "function, size, blockdim",
    [
        (neighbours_after_syncwarp, 128, 64),
        (syncwarp_after_return, 100, 64),
        (middle_warp_and_the_others, 192, 96),
    ],
)
def test_lanes_ordered_by_syncwarp_run_compiled(function, size, blockdim, checks):
    error, counts = _both_tiers(cuda.jit(function), 2, blockdim, _floats(size), checks)
    assert error is None
    assert counts["compiled"] == 1, launcher.reasons.get(function.__name__)


# ---- races a syncwarp does not order --------------------------------------------------------
def exchange_across_warps(a, out):
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    s[t] = a[cuda.grid(1)]
    cuda.syncwarp()
    out[cuda.grid(1)] = s[63 - t]  # written by the other warp: only a barrier orders it


def warp_zero_syncs_alone(a, out):
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    s[t] = a[cuda.grid(1)]
    if t < 32:
        cuda.syncwarp()
    out[cuda.grid(1)] = s[t ^ 1]  # warp 1 passed no syncwarp since its lanes wrote


def overwrite_before_neighbour_reads(a, out):
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    s[t] = a[cuda.grid(1)]
    cuda.syncwarp()
    v = s[t ^ 1]
    s[t] = v * 2  # the neighbour may not have read the old value yet
    cuda.syncwarp()
    out[cuda.grid(1)] = s[t]


@pytest.mark.parametrize(
    "function, reported",
    [
        (exchange_across_warps, "with no barrier in between"),
        (warp_zero_syncs_alone, "thread (33, 0, 0)"),
        (overwrite_before_neighbour_reads, "of the same warp read with no syncwarp"),
    ],
)
def test_races_syncwarp_does_not_order_get_the_vector_engines_report(function, reported):
    error, counts = _both_tiers(cuda.jit(function), 2, 64, _floats(128), True)
    assert isinstance(error, RaceError) and reported in str(error)
    assert counts["handed back"] == 1


@pytest.mark.parametrize("function", [exchange_across_warps, warp_zero_syncs_alone])
def test_races_run_compiled_with_checks_off(function):
    _, counts = _both_tiers(cuda.jit(function), 2, 64, _floats(128), False)
    assert counts["compiled"] == 1


# ---- what the compiled tier leaves to the vector engine --------------------------------------
def half_warp_syncwarp(a, out):
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    s[t] = a[cuda.grid(1)]
    if cuda.laneid < 16:  # divides every warp: the branch's warps meet
        cuda.syncwarp()
    out[cuda.grid(1)] = s[t]


@CHECKS
def test_a_syncwarp_under_a_condition_dividing_a_warp_runs_compiled(checks):
    error, counts = _both_tiers(cuda.jit(half_warp_syncwarp), 2, 64, _floats(128), checks)
    assert error is None
    assert counts["compiled"] == 1


def half_mask_syncwarp(a, out):
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    s[t] = a[cuda.grid(1)]
    cuda.syncwarp(0x0000FFFF)
    out[cuda.grid(1)] = s[t]


def shared_counter_with_syncwarp(a, out):
    s = cuda.shared.array(1, float32)
    t = cuda.threadIdx.x
    if t == 0:
        s[0] = 0
    cuda.syncthreads()
    cuda.atomic.add(s, 0, a[cuda.grid(1)])
    cuda.syncwarp()
    cuda.syncthreads()
    out[cuda.grid(1)] = s[0]


def test_a_syncwarp_with_another_mask_runs_compiled():
    error, counts = _both_tiers(cuda.jit(half_mask_syncwarp), 2, 64, _floats(128), True)
    assert error is None and counts["compiled"] == 1


def test_shared_atomics_with_syncwarp_stay_on_the_vector_engine_with_checks_on():
    def make_args(rng):
        return [rng.integers(0, 4, 128).astype(np.float32), np.zeros(128, np.float32)]

    kernel = cuda.jit(shared_counter_with_syncwarp)
    error, counts = _both_tiers(kernel, 2, 64, make_args, True)
    assert error is None and counts["compiled"] == 0
    assert "atomic on a shared array" in launcher.reasons["shared_counter_with_syncwarp"]
    assert _both_tiers(kernel, 2, 64, make_args, False)[1]["compiled"] == 1
