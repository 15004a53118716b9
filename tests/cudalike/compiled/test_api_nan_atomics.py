"""cuda.atomic.nanmax and nanmin in compiled code: the vector engine's np.fmax and np.fmin, a
NaN giving way to the other operand, the old value returned. Which of two NaNs, or of two zeros
of opposite signs, numpy's loops keep depends on how many lanes meet in one call, so compiled
code hands such a launch back. Both tiers, checks on and off: identical arrays and reports."""

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
FLOATS = pytest.mark.parametrize("dtype", [np.float32, np.float64])


def nan_extremes(x, maxima, minima, old):
    i = cuda.grid(1)
    if i < x.size:
        old[i] = cuda.atomic.nanmax(maxima, i % 4, x[i])
        cuda.atomic.nanmin(minima, (i // 4) % 4, x[i])


def integer_extremes(x, extremes):
    i = cuda.grid(1)
    if i < x.size:
        cuda.atomic.nanmax(extremes, i % 3, x[i])
        cuda.atomic.nanmin(extremes, 3 + i % 2, x[i])
        cuda.atomic.nanmax(extremes, 5, x[i] // 2)


def nan_in_a_loop(x, maxima):
    i = cuda.grid(1)
    for k in range(2):
        cuda.atomic.nanmax(maxima, k, x[i])


def _run(function, make, checks):
    return compare_tiers(cuda.jit(function), 2, 64, make, checks, KernelError)


def _make(dtype, specials, maxima, minima):
    def make(rng):
        x = np.r_[specials, rng.uniform(-10, 10, 128 - len(specials))].astype(dtype)
        return [x, np.array(maxima, dtype), np.array(minima, dtype), np.zeros(128, dtype)]

    return make


@CHECKS
@FLOATS
@pytest.mark.parametrize(
    ("specials", "maxima", "minima"),
    [
        ([np.inf, -np.inf, 5.0, 1e-45, *[2.0] * 12, np.nan, np.nan], [np.nan] * 4, [np.nan] * 4),
        ([0.0] * 4 + [-0.0] * 4, [1.0, np.inf, 1e-45, 0.5], [np.inf, -0.0, np.inf, np.inf]),
        ([np.nan] * 4, [1.0, -1.0, 0.0, -0.0], [2.0, np.inf, -np.inf, 0.0]),
    ],
    ids=["nan-elements", "same-signed-zeros", "nan-operands"],
)
def test_nanmax_and_nanmin_run_compiled(checks, dtype, specials, maxima, minima):
    error, counts, args = _run(nan_extremes, _make(dtype, specials, maxima, minima), checks)
    assert error is None and counts["compiled"] == 1, launcher.reasons.get("nan_extremes")
    assert not np.isnan(args[1]).any()


@CHECKS
@FLOATS
@pytest.mark.parametrize(
    ("specials", "maxima", "minima"),
    [
        ([-0.0], [0.0, np.nan, np.nan, np.nan], [np.nan] * 4),
        ([np.nan], [np.nan, 1.0, 1.0, 1.0], [np.nan] * 4),
        ([-0.0, 0.0], [-1.0] * 4, [np.nan] * 4),
    ],
    ids=["opposite-zeros", "two-nans", "zeros-meet-in-lanes"],
)
def test_two_nans_or_opposite_zeros_meeting_are_handed_back(
    checks, dtype, specials, maxima, minima
):
    error, counts, _ = _run(nan_extremes, _make(dtype, specials, maxima, minima), checks)
    assert error is None and counts["handed back"] == 1


@CHECKS
@pytest.mark.parametrize("dtype", [np.int32, np.uint32, np.int64, np.uint64])
def test_integer_nanmax_and_nanmin_are_max_and_min_in_any_order(checks, dtype):
    def make(rng):
        info = np.iinfo(dtype)
        drawn = rng.integers(0, 1000, 126).astype(dtype)
        x = np.concatenate([np.array([info.min, info.max], dtype), drawn])
        return [x, np.array([info.min] * 3 + [info.max] * 2 + [info.min], dtype)]

    error, counts, _ = _run(integer_extremes, make, checks)
    assert error is None and counts["compiled"] == 1, launcher.reasons.get("integer_extremes")


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
def test_a_float_nanmax_in_a_loop_runs_compiled_in_lane_order(checks):
    def make(rng):
        x = rng.standard_normal(128).astype(np.float32)
        x[::7] = np.nan
        return [x, np.zeros(2, np.float32)]

    error, counts, _ = _run(nan_in_a_loop, make, checks)
    assert error is None and counts["compiled"] == 1, launcher.reasons.get("nan_in_a_loop")
