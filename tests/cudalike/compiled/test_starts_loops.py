"""A variable that starts as a Python number and becomes numpy-typed in a loop (`m = -1e30`,
then `m = max(m, x[row, j])`) stays a Python number on the vector engine where no lane of the
chunk ran an iteration. Where that would give other bits later, the compiled tier checks at run
time that every thread's loop runs at least once, and hands the launch back where one would
not. A shuffle of a variable that may still hold its Python number returns that number on the
vector engine, the same number compiled code reads from another lane."""

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.survey_pmpp_math import kmeans_python_zero
from tests.cudalike.compiled.survey_rows import softmax_warp_per_row
from tests.cudalike.compiled.test_weak_starts import halving
from tests.cudalike.compiled.tiers import compare_tiers

pytestmark = pytest.mark.slow

FULL = 0xFFFFFFFF
CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])


def tripled_max(x, n, out):
    """`m * 3.0` after the loop: where no lane of the chunk ran an iteration the vector engine
    computes Python's 0.3 * 3.0, another float32 than float32(0.3) * 3.0."""
    i = cuda.grid(1)
    m = 0.3
    for j in range(cuda.laneid, n, 32):
        m = max(m, x[j])
    out[i] = m * 3.0


def strided_max(x, stride, out):
    """A step known only at run time: the loop cannot be checked, so the shuffle of a value
    that may be the Python -1e30 keeps the kernel on the vector engine."""
    i = cuda.grid(1)
    m = -1e30
    for j in range(cuda.laneid, x.shape[0], stride):
        m = max(m, x[j])
    m = max(m, cuda.shfl_xor_sync(FULL, m, 1))
    out[i] = m + x[i]


def compact(a, out, counter):
    """Warp-aggregated compaction: the leader's atomic, then a shuffle of `base`, a Python 0
    on the vector engine where no lane of the chunk kept an element."""
    i = cuda.grid(1)
    keep = a[i] > 0
    mask = cuda.ballot_sync(FULL, keep)
    lane = cuda.laneid
    leader = cuda.ffs(mask) - 1
    base = 0
    if lane == leader:
        base = cuda.atomic.add(counter, 0, cuda.popc(mask))
    base = cuda.shfl_sync(FULL, base, leader)
    if keep:
        out[base + cuda.popc(mask & cuda.lanemask_lt())] = a[i]


def shuffled_into_float32(a, out):
    """`v = 0.1` shuffled and stored: Python's 0.1 and float32(0.1) store the same float32."""
    i = cuda.grid(1)
    v = 0.1
    if a[i] > 0:
        v = a[i]
    v = cuda.shfl_down_sync(FULL, v, 1)
    out[i] = v


def shuffled_then_tripled(a, out):
    """`v * 3.0` after a shuffle: Python's 0.3 * 3.0 rounds to another float32 than
    float32(0.3) * 3.0, so this stays on the vector engine."""
    i = cuda.grid(1)
    v = 0.3
    if a[i] > 0:
        v = a[i]
    v = cuda.shfl_down_sync(FULL, v, 1)
    out[i] = v * 3.0


def _outcome(function, grid, block, make, checks):
    with np.errstate(all="ignore"):
        _, counts, _ = compare_tiers(cuda.jit(function), grid, block, make, checks, KernelError)
    return counts, launcher.reasons.get(function.__name__, "")


def _clusters(dims: int):
    def make(rng):
        points = rng.standard_normal((150, dims)).astype(np.float32)
        centroids = rng.standard_normal((5, dims)).astype(np.float32)
        return [points, centroids, np.full(150, -1, np.int32)]

    return make


def _rows(rows: int, cols: int):
    def make(rng):
        x = (rng.standard_normal((rows, cols)) * 3).astype(np.float32)
        return [x, np.zeros((rows, cols), np.float32)]

    return make


@CHECKS
def test_a_per_centroid_python_zero_runs_compiled(checks):
    counts, reason = _outcome(kmeans_python_zero, 3, 64, _clusters(4), checks)
    assert counts.get("compiled", 0) == 1, reason


@CHECKS
def test_a_loop_of_no_iteration_hands_the_centroids_back(checks):
    counts, _ = _outcome(kmeans_python_zero, 3, 64, _clusters(0), checks)
    assert counts.get("handed back", 0) == 1


@CHECKS
@pytest.mark.parametrize("rows", [4, 3], ids=["whole-warps", "a-warp-returns"])
def test_a_warp_per_row_softmax_runs_compiled(checks, rows):
    counts, reason = _outcome(softmax_warp_per_row, 2, 64, _rows(rows, 50), checks)
    assert counts.get("compiled", 0) == 1, reason


@CHECKS
@pytest.mark.parametrize("cols", [20, 0], ids=["some-lanes-idle", "no-columns"])
def test_a_softmax_lane_without_columns_hands_the_launch_back(checks, cols):
    counts, _ = _outcome(softmax_warp_per_row, 2, 64, _rows(3, cols), checks)
    assert counts.get("handed back", 0) == 1


@CHECKS
@pytest.mark.parametrize(
    ("n", "outcome"),
    [(40, "compiled"), (20, "handed back"), (0, "handed back")],
    ids=["every-lane-iterates", "some-lanes-idle", "no-iteration"],
)
def test_a_value_that_would_round_otherwise_is_checked_to_iterate(checks, n, outcome):
    def make(rng):
        return [rng.standard_normal(64).astype(np.float32) * 0.1, n, np.zeros(64, np.float32)]

    counts, reason = _outcome(tripled_max, 2, 32, make, checks)
    assert counts.get(outcome, 0) == 1, reason


@CHECKS
def test_a_loop_with_an_unknown_step_is_not_checked(checks):
    def make(rng):
        return [rng.standard_normal(64).astype(np.float32), 40, np.zeros(64, np.float32)]

    counts, reason = _outcome(strided_max, 2, 32, make, checks)
    assert counts.get("compiled", 0) == 0
    assert "may still hold the Python number" in reason


@CHECKS
def test_a_loop_that_needs_no_check_runs_compiled_with_no_iteration(checks):
    def make(rng):
        return [rng.standard_normal((64, 3)).astype(np.float32), 0, np.zeros(64, np.float32)]

    counts, reason = _outcome(halving, 2, 32, make, checks)
    assert counts.get("compiled", 0) == 1, reason


def _signed(kind: str):
    def make(rng):
        a = rng.standard_normal(128).astype(np.float32)
        if kind == "none kept":
            a = -np.abs(a) - 0.5
        elif kind == "all kept":
            a = np.abs(a) + 0.5
        elif kind == "one warp kept":
            a = -np.abs(a) - 0.5
            a[70:90] = 1.5
        return [a, np.zeros(128, np.float32), np.zeros(1, np.int32)]

    return make


KEPT = pytest.mark.parametrize("kind", ["mixed", "none kept", "all kept", "one warp kept"])


@CHECKS
@KEPT
def test_warp_aggregated_compaction_runs_compiled(checks, kind):
    counts, reason = _outcome(compact, 2, 64, _signed(kind), checks)
    assert counts.get("compiled", 0) == 1, reason


@CHECKS
@KEPT
def test_a_shuffled_python_float_stored_to_float32_runs_compiled(checks, kind):
    def make(rng):
        return _signed(kind)(rng)[:2]

    counts, reason = _outcome(shuffled_into_float32, 2, 64, make, checks)
    assert counts.get("compiled", 0) == 1, reason


@CHECKS
def test_a_shuffled_python_float_rounding_otherwise_stays_on_the_vector_engine(checks):
    def make(rng):
        return _signed("none kept")(rng)[:2]

    counts, reason = _outcome(shuffled_then_tripled, 2, 64, make, checks)
    assert counts.get("compiled", 0) == 0
    assert "may still hold the Python number" in reason
