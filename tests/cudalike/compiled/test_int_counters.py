"""A Python-int counter (`count = 0`, `count += 1` under an `if`) meeting float32: the vector
engine divides in float32 where `count` is still a Python int and in float64 where it merged
into an int64 array. One operation stored to float32 gives the same bits either way while the
counter is exact in float32 (|count| <= 2**24, else the launch is handed back); anything that
lets the float64 intermediate go on (sqrt, more arithmetic, a variable, a float64 array) stays
on the vector engine."""

import math

import numpy as np
import pytest
from numba import int32

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers

pytestmark = pytest.mark.slow

BIG = 2**24 - 2  # a counter starting here passes 2**24 after three increments


def mean(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        total = np.float32(0.0)
        count = 0
        for c in range(a.shape[1]):
            if a[i, c] > 0:
                total += a[i, c]
                count += 1
        if count > 0:
            out[i] = total / count


def mean_cast(a, out):
    # float32(total / count): the cast rounds once, as the store does
    i = cuda.grid(1)
    if i < a.shape[0]:
        total = np.float32(0.0)
        count = 0
        for c in range(a.shape[1]):
            if a[i, c] > 0:
                total += a[i, c]
                count += 1
        if count > 0:
            out[i] = np.float32(total / count)


def mean_unguarded(a, out):
    """No positive element: 0 / 0, a NaN on the vector engine; compiled code hands back."""
    i = cuda.grid(1)
    total = np.float32(0.0)
    count = 0
    for c in range(a.shape[1]):
        if a[i, c] > 0:
            total += a[i, c]
            count += 1
    out[i] = total / count


def blur(img, out):
    """The counter incremented in two nested loops."""
    y, x = cuda.grid(2)
    h, w = img.shape
    if y < h and x < w:
        total = np.float32(0.0)
        count = 0
        for dy in range(-1, 2):
            for dx in range(-1, 2):
                if 0 <= y + dy < h and 0 <= x + dx < w:
                    total += img[y + dy, x + dx]
                    count += 1
        out[y, x] = total / count


def one_operation_each(a, out):
    """Each store is one operation of float32 and the counter, in either order."""
    i = cuda.grid(1)
    count = 0
    for c in range(a.shape[1]):
        if a[i, c] > 0:
            count += 1
    out[i, 0] = a[i, 0] * count
    out[i, 1] = count - a[i, 1]
    out[i, 2] = a[i, 2] + count
    out[i, 3] = max(a[i, 3], count)
    out[i, 4] = a[i, 4] / (count + 1)  # `count + 1` is a Python int or int64 array too
    out[i, 5] += count
    if a[i, 6] > count:
        out[i, 6] = 1.0


def negative(a, out):
    i = cuda.grid(1)
    total = np.float32(0.0)
    count = 0
    for c in range(a.shape[1]):
        if a[i, c] < 0:
            total += a[i, c]
            count -= 1
    if count != 0:
        out[i] = total / count


def near_two_to_the_24(a, out):
    i = cuda.grid(1)
    count = BIG
    for c in range(a.shape[1]):
        if a[i, c] > 0:
            count += 1
    out[i] = a[i, 0] / count


def below_minus_two_to_the_24(a, out):
    i = cuda.grid(1)
    count = -BIG
    for c in range(a.shape[1]):
        if a[i, c] > 0:
            count -= 1
    out[i] = a[i, 0] * count


def copied_after_the_loop(a, out):
    """`k` holds whatever `count` holds: a Python int or an int64 array."""
    i = cuda.grid(1)
    count = BIG
    for c in range(a.shape[1]):
        if a[i, c] > 0:
            count += 1
    k = count
    out[i] = a[i, 0] / k


@cuda.jit(device=True)
def average(total, n):
    return total / n


def through_a_device_function(a, out):
    i = cuda.grid(1)
    total = np.float32(0.0)
    count = 0
    for c in range(a.shape[1]):
        if a[i, c] > 0:
            total += a[i, c]
            count += 1
    if count > 0:
        out[i] = average(total, count)


@cuda.jit(device=True)
def kept_average(total, n):
    m = total / n  # a variable of the device function typed with the counter from the start
    return m


def kept_in_a_device_function(a, out):
    i = cuda.grid(1)
    total = np.float32(0.0)
    count = 0
    for c in range(a.shape[1]):
        if a[i, c] > 0:
            total += a[i, c]
            count += 1
    if count > 0:
        out[i] = kept_average(total, count)


def copied_in_a_tuple(a, out):
    i = cuda.grid(1)
    count = 0
    for c in range(a.shape[1]):
        if a[i, c] > 0:
            count += 1
    k, one = count, 1
    out[i] = a[i, 0] / (k + one)


def int32_counter(a, out):
    """An int32 counter is int32 in every run: float32 / int32 is float64."""
    i = cuda.grid(1)
    total = np.float32(0.0)
    count = int32(0)
    for c in range(a.shape[1]):
        if a[i, c] > 0:
            total += a[i, c]
            count += 1
    if count > 0:
        out[i] = total / count


def python_float_start(a, out):
    """`total` is Python's 0.0 in rows where nothing counts: 0.0 / count is a Python float or a
    float64 array, rounded to float32 by the store as compiled code rounds float32 / count."""
    i = cuda.grid(1)
    total = 0.0
    count = 0
    for c in range(a.shape[1]):
        if a[i, c] > 0:
            total += a[i, c]
            count += 1
    out[i] = total / (count + 1)


def float64_total(a, out):
    """float64 / a Python int and float64 / an int64 array are both float64."""
    i = cuda.grid(1)
    total = np.float64(0.0)
    count = 0
    for c in range(a.shape[1]):
        if a[i, c] > 0:
            total += a[i, c]
            count += 1
    if count > 0:
        out[i] = total / count


def _floats(rows: int = 64, cols: int = 8, dtype=np.float32, out_cols: int = 0):
    def make(rng):
        a = rng.standard_normal((rows, cols)).astype(dtype)
        a[:4] = np.abs(a[:4])  # rows where every element counts
        a[4:8] = -np.abs(a[4:8])  # rows where none does
        shape = (rows, out_cols) if out_cols else rows
        return [a, np.zeros(shape, dtype)]

    return make


def _all_positive(rng):
    a = np.abs(rng.standard_normal((64, 8))).astype(np.float32) + 0.5
    return [a, np.zeros(64, np.float32)]


def _none_counted(rng):
    a = -np.abs(rng.standard_normal((64, 8))).astype(np.float32) - 0.5
    return [a, np.zeros(64, np.float32)]


def _outcome(function, make, checks, grid=2, block=32):
    with np.errstate(all="ignore"):
        _, counts, _ = compare_tiers(cuda.jit(function), grid, block, make, checks, KernelError)
    return counts, launcher.reasons.get(function.__name__, "")


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize(
    "make", [_floats(), _all_positive, _none_counted], ids=["mixed", "all-counted", "none-counted"]
)
@pytest.mark.parametrize(
    "function",
    [
        mean,
        mean_cast,
        negative,
        through_a_device_function,
        kept_in_a_device_function,
        copied_in_a_tuple,
        int32_counter,
        python_float_start,
    ],
)
def test_a_counter_divided_into_a_float32_store_runs_compiled(checks, make, function):
    counts, reason = _outcome(function, make, checks)
    assert counts.get("compiled", 0) == 1, reason


@pytest.mark.parametrize("checks", [True, False])
def test_a_float64_total_divided_by_a_counter_runs_compiled(checks):
    counts, reason = _outcome(float64_total, _floats(dtype=np.float64), checks)
    assert counts.get("compiled", 0) == 1, reason


@pytest.mark.parametrize("checks", [True, False])
def test_a_blur_counting_in_nested_loops_runs_compiled(checks):
    def make(rng):
        return [rng.standard_normal((40, 60)).astype(np.float32), np.zeros((40, 60), np.float32)]

    counts, reason = _outcome(blur, make, checks, grid=(3, 4), block=(16, 16))
    assert counts.get("compiled", 0) == 1, reason


@pytest.mark.parametrize("checks", [True, False])
def test_one_operation_of_float32_and_a_counter_stored_runs_compiled(checks):
    counts, reason = _outcome(one_operation_each, _floats(out_cols=7), checks)
    assert counts.get("compiled", 0) == 1, reason


@pytest.mark.parametrize("checks", [True, False])
def test_a_zero_count_hands_the_division_back(checks):
    counts, _ = _outcome(mean_unguarded, _floats(), checks)
    assert counts.get("handed back", 0) == 1


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize(
    ("cols", "outcome"), [(2, "compiled"), (5, "handed back")], ids=["2**24", "past-2**24"]
)
@pytest.mark.parametrize("function", [near_two_to_the_24, below_minus_two_to_the_24])
def test_a_counter_past_two_to_the_24_hands_the_launch_back(checks, cols, outcome, function):
    """float32 holds every integer up to 2**24; past it the float32 run rounds the counter."""

    def make(rng):
        return [np.abs(rng.standard_normal((64, cols))).astype(np.float32) + 0.1, np.zeros(64)]

    counts, reason = _outcome(
        function, lambda rng: [make(rng)[0], np.zeros(64, np.float32)], checks
    )
    assert counts.get(outcome, 0) == 1, reason


@pytest.mark.parametrize("checks", [True, False])
def test_a_counter_copied_after_its_loop_is_followed(checks):
    """`k = count` was typed a Python int, so compiled code divided in float32 where the
    vector engine divided by an int64 array in float64: other bits past 2**24."""

    def make(rng):
        a = rng.standard_normal((64, 5)).astype(np.float32) * 3
        return [a, np.zeros(64, np.float32)]

    counts, reason = _outcome(copied_after_the_loop, make, checks)
    assert counts.get("handed back", 0) == 1, reason


def rms(a, out):
    i = cuda.grid(1)
    count = 0
    for c in range(a.shape[1]):
        if a[i, c] > 0:
            count += 1
    out[i] = math.sqrt(a[i, 0] * a[i, 0] / (count + 1))


def used_twice(a, out):
    i = cuda.grid(1)
    count = 0
    for c in range(a.shape[1]):
        if a[i, c] > 0:
            count += 1
    out[i] = a[i, 0] / (count + 1) + count


def kept_in_a_variable(a, out):
    i = cuda.grid(1)
    count = 0
    for c in range(a.shape[1]):
        if a[i, c] > 0:
            count += 1
    m = a[i, 0] / (count + 1)
    out[i] = m * np.float32(3.0)


def added_to_a_float32_total(a, out):
    i = cuda.grid(1)
    total = np.float32(0.1)
    count = 0
    for c in range(a.shape[1]):
        if a[i, c] > 0:
            count += 1
    total += count
    out[i] = total + a[i, 0]


def stored_to_float64(a, out):
    i = cuda.grid(1)
    count = 0
    for c in range(a.shape[1]):
        if a[i, c] > 0:
            count += 1
    out[i] = a[i, 0] / (count + 1)


@cuda.jit(device=True)
def scaled_average(total, n):
    m = total / n
    return m * 3.0


def device_function_goes_on(a, out):
    i = cuda.grid(1)
    count = 0
    for c in range(a.shape[1]):
        if a[i, c] > 0:
            count += 1
    out[i] = scaled_average(a[i, 0], count + 1)


@cuda.jit(device=True)
def own_count(total, x, y):
    """The device function's own counter, a Python int or an int64 array."""
    c = 0
    if x > 0:
        c += 1
    if y > 0:
        c += 1
    m = total / (c + 1)
    return m * 3.0


def device_functions_own_counter(a, out):
    i = cuda.grid(1)
    out[i] = own_count(a[i, 0], a[i, 1], a[i, 2])


def shuffled(a, out):
    i = cuda.grid(1)
    count = 0
    for c in range(a.shape[1]):
        if a[i, c] > 0:
            count += 1
    w = cuda.shfl_sync(0xFFFFFFFF, a[i, 0] / (count + 1), 0)
    out[i] = w * np.float32(3.0)


def scale_copied(a, out):
    """`t` holds a Python float or a float64 array, as `scale` does."""
    i = cuda.grid(1)
    scale = 1.0
    if a[i, 0] > 0:
        scale = 0.1
    t = scale
    out[i] = a[i, 1] * t


def python_float_start_float64(a, out):
    """`total / count` is a Python float where `total` is still Python's 0.0, then meets
    float32 as float32; compiled code's float64 total would meet it as float64."""
    i = cuda.grid(1)
    total = 0.0
    count = 0
    for c in range(a.shape[1]):
        if a[i, c] > 0:
            total += a[i, c]
            count += 1
    out[i] = total / (count + 1) * np.float32(3.0)


def _with_float64_out(rng):
    return [_floats()(rng)[0], np.zeros(64)]


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize(
    ("function", "make", "reason"),
    [
        (rms, _floats(), "float32 on store"),
        (used_twice, _floats(), "float32 on store"),
        (kept_in_a_variable, _floats(), "meets float32"),
        (added_to_a_float32_total, _floats(), "meets float32"),
        (stored_to_float64, _with_float64_out, "mixed-precision result"),
        (device_function_goes_on, _floats(), "float32 on store"),
        (scale_copied, _floats(), "meets float32"),
        (device_functions_own_counter, _floats(), "meets float32"),
        (shuffled, _floats(), "meets float32"),
        (python_float_start_float64, _floats(dtype=np.float64), "Python number"),
    ],
)
def test_a_float64_intermediate_that_goes_on_stays_on_the_vector_engine(
    checks, function, make, reason
):
    counts, why = _outcome(function, make, checks)
    assert counts.get("compiled", 0) == 0
    assert reason in why
