"""cuda.match_any_sync in compiled code: each voting lane's mask of the voting lanes of its warp
holding a value with the same bits (-0.0 is not 0.0), 0 for a lane its member mask leaves out,
as an int32. Both tiers, checks on and off: identical arrays, the launch compiled, or handed
back where two NaNs meet (their payloads are not compared)."""

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])


def matched(a, out, members):
    i = cuda.grid(1)
    out[i] = cuda.match_any_sync(members[i], a[i])


def matched_keys(a, out):
    i = cuda.grid(1)
    out[i] = cuda.match_any_sync(0xFFFFFFFF, a[i] & 3)


def _run(function, make, checks, block=48):
    return compare_tiers(cuda.jit(function), 2, block, make, checks, KernelError)


@CHECKS
@pytest.mark.parametrize("dtype", [np.int32, np.uint64, np.float32, np.float64])
@pytest.mark.parametrize("members", [0xFFFFFFFF, 0x0000FFFF, 0x80000001])
def test_match_any_runs_compiled(checks, dtype, members):
    def make(rng):
        if np.dtype(dtype).kind == "f":
            a = rng.choice([0.0, -0.0, 1.5, np.inf, -np.inf], 96)
            a[7] = np.nan
        else:
            a = rng.integers(0, 4, 96)
        a = a.astype(dtype)
        return [a, np.zeros(96, np.int32), np.full(96, members, np.int64)]

    error, counts, args = _run(matched, make, checks)
    assert error is None and counts["compiled"] == 1, launcher.reasons.get("matched")
    assert (args[1] != 0).any()


@CHECKS
def test_member_masks_that_differ_per_lane_run_compiled(checks):
    def make(rng):
        members = rng.integers(0, 2**32, 128)
        return [rng.integers(0, 3, 128).astype(np.int64), np.zeros(128, np.int32), members]

    error, counts, _ = _run(matched, make, checks, block=64)
    assert error is None and counts["compiled"] == 1, launcher.reasons.get("matched")


@CHECKS
def test_two_nans_meeting_are_handed_back(checks):
    def make(rng):
        a = rng.uniform(0, 1, 96).astype(np.float32)
        a[3] = a[9] = np.nan
        return [a, np.zeros(96, np.int32), np.full(96, 0xFFFFFFFF, np.int64)]

    error, counts, _ = _run(matched, make, checks)
    assert error is None and counts["handed back"] == 1


@CHECKS
def test_the_survey_kernel_runs_compiled(checks):
    make = lambda rng: [rng.integers(0, 100, 256).astype(np.int32), np.zeros(256, np.int32)]  # noqa: E731
    error, counts, _ = _run(matched_keys, make, checks, block=128)
    assert error is None and counts["compiled"] == 1, launcher.reasons.get("matched_keys")
