"""Device functions that return before their last statement (inside a loop, a while loop or an
if) on the compiled tier: both tiers give the same arrays byte for byte and the same reports,
whether the function is written into the kernel (handed an array) or compiled as a numba
function (numbers only)."""

import math

import numpy as np
import pytest
from numba import float32

from cudalike import config, cuda
from cudalike.errors import KernelError, OutOfBoundsError, RunawayKernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])


# ---- written into the kernel: handed an array ------------------------------------------------
@cuda.jit(device=True)
def first_negative(a, row):
    for k in range(a.shape[1]):
        if a[row, k] < 0:
            return k
    return -1


@cuda.jit(device=True)
def first_above_2d(a, row, limit):
    """A return from a nested loop; the outer loop goes on after the inner one."""
    seen = 0
    for r in range(2):
        for c in range(a.shape[1]):
            if a[row + r, c] > limit:
                return seen * 100 + r * a.shape[1] + c
        seen += 1
    return -seen


@cuda.jit(device=True)
def search_sorted(a, x):
    """Binary search returning from the middle of a while loop."""
    lo = 0
    hi = a.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        v = a[mid]
        if v == x:
            return mid
        if v < x:
            lo = mid + 1
        else:
            hi = mid
    return -1 - lo


@cuda.jit(device=True)
def classify(a, i):
    """An if/elif/else chain whose every branch returns."""
    if a[i] < -0.5:
        return -1
    elif a[i] > 0.5:
        return 1
    else:
        return 0


@cuda.jit(device=True)
def first_big_value(a, row):
    """Returns of one numpy type (float32) from the loop and after it."""
    for k in range(a.shape[1]):
        if a[row, k] > 0.5:
            return a[row, k] * float32(2.0)
    return a[row, 0]


@cuda.jit(device=True)
def first_big_or_zero(a, row):
    """A float32 from the loop, a Python float after it."""
    for k in range(a.shape[1]):
        if a[row, k] > 0.5:
            return a[row, k]
    return 0.0


@cuda.jit(device=True)
def half_or_quarter(a, i):
    """Python floats on every path (a Python number or a float64 array on the vector engine)."""
    if a[i] > 0:
        return 0.5
    return 0.25


@cuda.jit(device=True)
def index_and_value(a, row):
    """A tuple from inside the loop and after it."""
    for k in range(a.shape[1]):
        if a[row, k] < 0:
            return k, a[row, k]
    return -1, a[row, 0]


@cuda.jit(device=True)
def has_negative(a, row):
    for k in range(a.shape[1]):
        if a[row, k] < 0:
            return True
    return False


@cuda.jit(device=True)
def store_positive(out, i, v):
    """Called as a statement: a bare return skips the store."""
    if v <= 0:
        return
    out[i] = v


@cuda.jit(device=True)
def count_until_negative(a, row):
    """Calls another function that returns early, then returns early itself."""
    k = first_negative(a, row)
    if k < 0:
        return a.shape[1]
    return k


@cuda.jit(device=True)
def last_positive_or_past_end(a, row):
    """After the loop reads one element past the row (a bug for rows without a positive)."""
    for k in range(a.shape[1]):
        if a[row, k] > 0:
            return a[row, k]
    return a[row, a.shape[1]]


@cuda.jit(device=True)
def wait_for_negative(a, i):
    """Endless for elements that are not negative."""
    k = 0
    while k >= 0:
        if a[i] < 0:
            return k
        k += 1
    return k


@cuda.jit(device=True)
def load_or_zero(tile, a, t, i):
    """Called as a statement before a barrier: returns early past the end of `a`."""
    if i >= a.size:
        tile[t] = 0
        return
    tile[t] = a[i]


def reversed_tiles(a, out):
    tile = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    load_or_zero(tile, a, t, i)
    cuda.syncthreads()
    if i < a.size:
        out[i] = tile[63 - t]


def first_negative_rows(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        out[i] = first_negative(a, i)


def nested_search(a, out, limit):
    i = cuda.grid(1)
    if i < a.shape[0] - 1:
        out[i] = first_above_2d(a, i, limit)


def binary_searches(a, queries, out):
    i = cuda.grid(1)
    if i < queries.size:
        out[i] = search_sorted(a, queries[i])


def classify_all(a, out):
    i = cuda.grid(1)
    if i < a.size:
        c = classify(a, i)
        out[i] = c * 3 + 1


def big_values(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        v = first_big_value(a, i)
        out[i] = v + float32(1.0)


def big_or_zero(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        out[i] = first_big_or_zero(a, i)


def big_or_zero_times(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        v = first_big_or_zero(a, i)
        out[i] = v * 0.1


def halves(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = half_or_quarter(a, i)


def index_value_pairs(a, where, value):
    i = cuda.grid(1)
    if i < a.shape[0]:
        k, v = index_and_value(a, i)
        where[i] = k
        value[i] = v


def negative_flags(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        flag = has_negative(a, i)
        if flag:
            out[i] = 7


def positives(a, out):
    i = cuda.grid(1)
    if i < a.size:
        store_positive(out, i, a[i])


def counts_in_a_loop(a, out):
    """The function is called in a loop of the kernel, over the rows from this thread's."""
    i = cuda.grid(1)
    if i < a.shape[0]:
        total = 0
        for r in range(i, a.shape[0]):
            total += count_until_negative(a, r)
        out[i] = total


def past_end(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        out[i] = last_positive_or_past_end(a, i)


def waits(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = wait_for_negative(a, i)


# ---- numba functions: numbers only ----------------------------------------------------------
@cuda.jit(device=True)
def sign(x):
    if x > 0:
        return 1
    elif x < 0:
        return -1
    else:
        return 0


@cuda.jit(device=True)
def halvings(x):
    n = 0
    while x > 1.0:
        if n > 20:
            return -1
        x = x * 0.5
        n += 1
    return n


@cuda.jit(device=True)
def clamp_or_polar(x, y):
    if x * x + y * y > float32(4.0):
        return float32(2.0), math.atan2(y, x)
    else:
        return math.sqrt(x * x + y * y), float32(0.0)


@cuda.jit(device=True)
def digits(n):
    """A return from a loop, called in a loop of the kernel."""
    for k in range(1, 12):
        n = n // 10
        if n == 0:
            return k
    return 12


def signs(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = sign(x[i]) + 2 * sign(x[i] - 0.25)


def halving_counts(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = halvings(x[i])


def polar(x, y, r, theta):
    i = cuda.grid(1)
    if i < x.size:
        r[i], theta[i] = clamp_or_polar(x[i], y[i])


def digit_sums(x, out):
    i = cuda.grid(1)
    if i < x.shape[0]:
        total = 0
        for j in range(x.shape[1]):
            total += digits(x[i, j])
        out[i] = total


def _f32(rng, *shape):
    return rng.standard_normal(shape).astype(np.float32)


def _sorted_and_queries(rng):
    a = np.sort(rng.choice(400, 150, replace=False)).astype(np.int32)
    return [a, rng.integers(-5, 405, 90).astype(np.int32), np.zeros(90, np.int64)]


# (name, kernel, grid, block, arguments); every one runs compiled
COMPILED = [
    ("loop", first_negative_rows, 2, 64, lambda r: [_f32(r, 100, 5), np.zeros(100, np.int32)]),
    (
        "nested loop",
        nested_search,
        2,
        64,
        lambda r: [_f32(r, 101, 6), np.zeros(100, np.int64), 1.7],
    ),
    ("while", binary_searches, 2, 64, _sorted_and_queries),
    ("if chain", classify_all, 2, 64, lambda r: [_f32(r, 100), np.zeros(100, np.int32)]),
    ("float32", big_values, 2, 64, lambda r: [_f32(r, 100, 4), np.zeros(100, np.float32)]),
    ("Python floats", halves, 2, 64, lambda r: [_f32(r, 100), np.zeros(100, np.float64)]),
    (
        "tuple",
        index_value_pairs,
        2,
        64,
        lambda r: [_f32(r, 100, 4), np.zeros(100, np.int32), np.zeros(100, np.float32)],
    ),
    ("bool", negative_flags, 2, 64, lambda r: [_f32(r, 100, 3), np.zeros(100, np.int32)]),
    (
        "before a barrier",
        reversed_tiles,
        2,
        64,
        lambda r: [_f32(r, 100), np.zeros(100, np.float32)],
    ),
    ("bare return", positives, 2, 64, lambda r: [_f32(r, 100), np.zeros(100, np.float32)]),
    (
        "called in a kernel loop",
        counts_in_a_loop,
        2,
        64,
        lambda r: [_f32(r, 70, 6), np.zeros(70, np.int64)],
    ),
    ("numbers: if chain", signs, 2, 64, lambda r: [_f32(r, 100), np.zeros(100, np.int32)]),
    (
        "numbers: while",
        halving_counts,
        2,
        64,
        lambda r: [(_f32(r, 100) * 1e3).astype(np.float64), np.zeros(100, np.int32)],
    ),
    (
        "numbers: tuple",
        polar,
        2,
        64,
        lambda r: [*(_f32(r, 100) * 2 for _ in range(2)), *(np.zeros(100, np.float32),) * 2],
    ),
    (
        "numbers: in a kernel loop",
        digit_sums,
        2,
        64,
        lambda r: [r.integers(0, 10**9, (100, 7)).astype(np.int64), np.zeros(100, np.int64)],
    ),
]


@CHECKS
@pytest.mark.parametrize("name, kernel, grid, block, make", COMPILED, ids=[c[0] for c in COMPILED])
def test_an_early_return_runs_compiled_with_the_vector_engines_results(
    name, kernel, grid, block, make, checks
):
    jitted = cuda.jit(kernel)
    error, counts, _ = compare_tiers(jitted, grid, block, make, checks, KernelError)
    assert error is None
    assert counts.get("compiled", 0) == 1, launcher.reasons.get(kernel.__name__)


# A float32 from the loop and a Python float after it: on the vector engine the result is the
# Python float where every lane of a chunk took `return 0.0` and float32 elsewhere; written into
# the kernel, its value variable is refused as a variable set to Python numbers under masks.
VECTOR_ONLY = [
    ("stored", big_or_zero, np.float32, "set to Python numbers under different masks"),
    ("in arithmetic", big_or_zero_times, np.float64, "set to Python numbers under different masks"),
]


@CHECKS
@pytest.mark.parametrize(
    "name, kernel, dtype, reason", VECTOR_ONLY, ids=[case[0] for case in VECTOR_ONLY]
)
def test_a_float32_or_python_float_result_stays_on_the_vector_engine(
    name, kernel, dtype, reason, checks
):
    jitted = cuda.jit(kernel)

    def make(rng):
        a = _f32(rng, 100, 3)
        a[64:] = 0.0  # the second block's threads all return 0.0
        return [a, np.zeros(100, dtype)]

    error, counts, _ = compare_tiers(jitted, 2, 64, make, checks, KernelError)
    assert error is None
    assert counts.get("compiled", 0) == 0
    assert reason in launcher.reasons.get(kernel.__name__, "")


@CHECKS
def test_an_out_of_bounds_read_after_the_loop_gets_the_vector_engines_report(checks):
    jitted = cuda.jit(past_end)

    def make(rng):
        a = _f32(rng, 100, 3)
        a[37] = -1.0  # no positive element: this row reads past its end
        return [a, np.zeros(100, np.float32)]

    error, counts, _ = compare_tiers(jitted, 2, 64, make, checks, KernelError)
    assert error is not None
    if checks:
        assert isinstance(error, OutOfBoundsError)
    assert counts.get("handed back", 0) == 1


@CHECKS
def test_an_early_return_past_the_loop_budget_gets_the_vector_engines_report(checks):
    jitted = cuda.jit(waits)

    def make(rng):
        a = np.full(64, -1.0, np.float32)
        a[5] = 1.0  # this thread never returns
        return [a, np.zeros(64, np.int64)]

    with config.override(loop_budget=5_000, time_budget_s=30):
        error, counts, _ = compare_tiers(jitted, 1, 64, make, checks, KernelError)
    assert isinstance(error, RunawayKernelError)
    assert counts.get("handed back", 0) == 1


@CHECKS
def test_early_returns_within_the_loop_budget_run_compiled(checks):
    jitted = cuda.jit(waits)

    def make(rng):
        return [np.full(64, -1.0, np.float32), np.zeros(64, np.int64)]

    with config.override(loop_budget=5_000, time_budget_s=30):
        error, counts, _ = compare_tiers(jitted, 1, 64, make, checks, KernelError)
    assert error is None
    assert counts.get("compiled", 0) == 1, launcher.reasons.get("waits")
