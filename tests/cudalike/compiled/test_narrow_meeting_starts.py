"""Two variables that start as Python numbers and meet after a loop (`hi - lo` after `lo =
min(lo, v)`, `hi = max(hi, v)` over a row of uint8 pixels): on the vector engine both are
still Python numbers where the loop ran no iteration, and their difference a Python int, so
weak_starts.py follows them again with the loop checked at run time to run at least once. A
row of no pixels hands the launch back. Identical arrays on both tiers, checks on and off."""

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers, how_it_ran

pytestmark = pytest.mark.slow

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
N = 64


def row_range(img, out):
    i = cuda.grid(1)
    if i < img.shape[0]:
        lo = 255
        hi = 0
        for j in range(img.shape[1]):
            v = img[i, j]
            lo = min(lo, v)
            hi = max(hi, v)
        out[i] = hi - lo


def row_range_from(img, out, first):
    """The same, from a column given as a scalar argument."""
    i = cuda.grid(1)
    if i < img.shape[0]:
        lo = 255
        hi = 0
        for j in range(first, img.shape[1]):
            lo = min(lo, img[i, j])
            hi = max(hi, img[i, j])
        out[i] = hi - lo


def float_sums(a, n, out):
    """Two Python floats added exactly where the loop ran no iteration, float32 sums else."""
    i = cuda.grid(1)
    if i < out.size:
        s = 0.1
        t = 0.2
        for k in range(n):
            s += a[i, k]
            t += a[i, k]
        out[i] = s + t


@CHECKS
@pytest.mark.parametrize("width", [1, 9])
def test_python_numbers_meeting_after_a_loop_that_runs(width, checks):
    def make_args(rng):
        img = rng.integers(0, 256, (N, width)).astype(np.uint8)
        img[::5] = 255
        return [img, np.zeros(N, np.int32)]

    error, counts, _ = compare_tiers(cuda.jit(row_range), 2, 32, make_args, checks, KernelError)
    assert error is None
    assert how_it_ran(counts) == "compiled", launcher.reasons.get("row_range")


@CHECKS
def test_a_loop_of_no_iteration_is_handed_back(checks):
    def make_args(rng):
        return [np.zeros((N, 0), np.uint8), np.zeros(N, np.int32)]

    error, counts, _ = compare_tiers(cuda.jit(row_range), 2, 32, make_args, checks, KernelError)
    assert error is None
    assert how_it_ran(counts) == "handed back"


@CHECKS
@pytest.mark.parametrize(
    ("first", "expected"), [(0, "compiled"), (3, "compiled"), (9, "handed back")]
)
def test_a_loop_from_a_scalar_argument(first, expected, checks):
    def make_args(rng):
        img = rng.integers(0, 256, (N, 9)).astype(np.uint8)
        return [img, np.zeros(N, np.int32), first]

    kernel = cuda.jit(row_range_from)
    error, counts, _ = compare_tiers(kernel, 2, 32, make_args, checks, KernelError)
    assert error is None
    assert how_it_ran(counts) == expected, launcher.reasons.get("row_range_from")


@CHECKS
@pytest.mark.parametrize(("n", "expected"), [(5, "compiled"), (0, "handed back")])
def test_python_floats_meeting_after_a_loop(n, expected, checks):
    def make_args(rng):
        return [rng.random((N, 5)).astype(np.float32), n, np.zeros(N)]

    error, counts, _ = compare_tiers(cuda.jit(float_sums), 2, 32, make_args, checks, KernelError)
    assert error is None
    assert how_it_ran(counts) == expected, launcher.reasons.get("float_sums")
