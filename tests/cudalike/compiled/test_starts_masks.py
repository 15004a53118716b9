"""A Python number assigned where a variable may already hold one becomes a 64-bit array on the
vector engine when the mask leaves lanes out, and stays a Python number where it holds every
lane of the chunk: in the body of a loop or `if` whose condition is the same for every lane of
the launch, in a kernel without `return`. An `if` comparing the variable's Python number with
known numbers is decided for every lane alike, so its branch runs only where the variable is
numpy-typed. A Python integer used as an index names the element its typed value names."""

import numpy as np
import pytest
from numba import int32

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.survey_classics import SCAN, hillis_steele_sync_read
from tests.cudalike.compiled.survey_rows import BINS, histogram_float_bins
from tests.cudalike.compiled.tiers import compare_tiers

pytestmark = pytest.mark.slow

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])


def scan_guarded(a, n, out):
    """The same with a `return` before it: lanes that left make the loop's mask partial, so
    `val = 0` may merge two Python zeros into an int64 array."""
    sh = cuda.shared.array(SCAN, int32)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    if i >= n:
        return
    sh[tid] = a[i]
    offset = 1
    while offset < 2:
        val = 0
        if tid >= offset:
            val = sh[tid - offset]
        sh[tid] += val
        offset *= 2
    out[i] = sh[tid]


def block_steps(a, out):
    """A loop whose bound reads blockIdx: a chunk of several blocks runs it with some lanes
    left out, so `val = 0` stays on the vector engine."""
    i = cuda.grid(1)
    acc = a[i]
    for step in range(cuda.blockIdx.x + 1):
        val = 0
        if a[i] > step:
            val = a[i] * 2
        acc += val
    out[i] = acc


def reset_twice(x, out):
    """`if b >= 0` is true for the Python 0 too: a second Python number under a mask."""
    i = cuda.grid(1)
    if i < x.size:
        b = int32(x[i])
        if b < 0:
            b = 0
        if b >= 0:
            b = 7
        out[i] = b + int32(1)


def looked_up(a, table, out):
    """A Python start used to read an element: `table[k]`, with `k = start` or an int32."""
    i = cuda.grid(1)
    if i < out.size:
        k = START
        if a[i] > 0:
            k = int32(a[i] * 4)
        out[i] = table[k]


START = 2


def _signed(kind: str, n: int = 200):
    def values(rng):
        a = rng.standard_normal(n).astype(np.float32)
        if kind == "all below":
            return -np.abs(a) - 0.5
        if kind == "all above":
            return np.abs(a) + 0.5
        return a

    return values


def _outcome(function, grid, block, make, checks):
    with np.errstate(all="ignore"):
        error, counts, _ = compare_tiers(cuda.jit(function), grid, block, make, checks, KernelError)
    return error, counts, launcher.reasons.get(function.__name__, "")


@CHECKS
@pytest.mark.parametrize("block", [64, 32, 1])
def test_a_scan_setting_a_python_zero_at_each_step_runs_compiled(checks, block):
    def make(rng):
        return [rng.integers(-50, 50, 128, dtype=np.int32), np.zeros(128, np.int32)]

    _, counts, reason = _outcome(hillis_steele_sync_read, 128 // block, block, make, checks)
    assert counts.get("compiled", 0) == 1, reason


@CHECKS
def test_a_python_zero_after_a_return_stays_on_the_vector_engine(checks):
    def make(rng):
        return [rng.integers(-50, 50, 128, dtype=np.int32), 100, np.zeros(128, np.int32)]

    _, counts, reason = _outcome(scan_guarded, 2, 64, make, checks)
    assert counts.get("compiled", 0) == 0
    assert "set to Python numbers under different masks" in reason


@CHECKS
def test_a_python_zero_in_a_loop_bounded_by_the_block_stays_on_the_vector_engine(checks):
    def make(rng):
        return [rng.integers(-5, 5, 128, dtype=np.int32), np.zeros(128, np.int32)]

    _, counts, reason = _outcome(block_steps, 4, 32, make, checks)
    assert counts.get("compiled", 0) == 0
    assert "set to Python numbers under different masks" in reason


@CHECKS
@pytest.mark.parametrize("kind", ["mixed", "all below", "all above", "in range"])
def test_clamped_bins_run_compiled(checks, kind):
    def make(rng):
        x = _signed(kind)(rng) * 3 if kind != "in range" else rng.uniform(-1.9, 1.9, 200)
        return [x.astype(np.float32), -2.0, 2.0, np.zeros(BINS, np.int32)]

    _, counts, reason = _outcome(histogram_float_bins, 4, 64, make, checks)
    assert counts.get("compiled", 0) == 1, reason


@CHECKS
def test_a_test_the_python_number_passes_stays_on_the_vector_engine(checks):
    def make(rng):
        return [_signed("all below")(rng) * 3, np.zeros(200, np.int32)]

    _, counts, reason = _outcome(reset_twice, 4, 64, make, checks)
    assert counts.get("compiled", 0) == 0
    assert "set to Python numbers under different masks" in reason


@CHECKS
@pytest.mark.parametrize("kind", ["mixed", "all below", "all above"])
def test_a_python_start_used_as_an_index_runs_compiled(checks, kind):
    def make(rng):
        a = np.clip(_signed(kind)(rng), -1.0, 1.5)
        return [a, np.arange(8, dtype=np.float32) * 1.5, np.zeros(200, np.float32)]

    _, counts, reason = _outcome(looked_up, 4, 64, make, checks)
    assert counts.get("compiled", 0) == 1, reason
