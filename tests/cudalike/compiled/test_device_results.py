"""Device functions whose results the kernel uses, beyond one number from numbers: tuples
unpacked by the caller, functions handed arrays (written into the kernel at the call), and
`len(array)`. Identical arrays and reports under both tiers, checks on and off, and the
launch ran compiled."""

import math

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers

pytestmark = pytest.mark.slow
CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])


@cuda.jit(device=True)
def sign_and_size(x):
    if x < 0:
        return -1, -x
    return 1, x


@cuda.jit(device=True)
def to_polar(x, y):
    return math.sqrt(x * x + y * y), math.atan2(y, x)


@cuda.jit(device=True)
def polar_degrees(x, y):
    r, t = to_polar(x, y)
    return r, math.degrees(t)


@cuda.jit(device=True)
def sum_and_count(n):
    s = 0
    c = 0
    for k in range(n):
        if k % 3 == 0:
            s += k
            c += 1
    return s, c


@cuda.jit(device=True)
def quotient_and_rest(a, b):
    return a // b, a % b


def signs(x, sign, size):
    i = cuda.grid(1)
    if i < x.size:
        sign[i], size[i] = sign_and_size(x[i])


def degrees(x, y, r, t):
    i = cuda.grid(1)
    if i < x.size:
        radius, angle = polar_degrees(x[i], y[i])
        r[i] = radius
        t[i] = angle


def counts(n, out):
    i = cuda.grid(1)
    if i < n.size:
        s, c = sum_and_count(n[i])
        out[i, 0] = s
        out[i, 1] = c


def quotients(a, b, out):
    i = cuda.grid(1)
    if i < a.size:
        q, r = quotient_and_rest(a[i], b[i])
        out[i] = q * 100 + r


def tuple_kept_whole(a, out):
    i = cuda.grid(1)
    if i < a.size:
        pair = quotient_and_rest(a[i], 7)
        out[i] = pair[0]


@cuda.jit(device=True)
def neighbours_sum(grid, i, j):
    n, m = grid.shape
    total = 0.0
    for di in range(-1, 2):
        for dj in range(-1, 2):
            total += grid[(i + di) % n, (j + dj) % m]
    return total - grid[i, j]


@cuda.jit(device=True)
def wrapped(values, i):
    i = (i + 1) % values.size  # rebinds the parameter only
    return values[i] * 2


@cuda.jit(device=True)
def past_the_end(values, i):
    return values[i + 1]


@cuda.jit(device=True)
def first_negative(values, i):
    if values[i] < 0:
        return 1
    return 0


def neighbours(grid, out):
    i, j = cuda.grid(2)
    if i < grid.shape[0] and j < grid.shape[1]:
        out[i, j] = neighbours_sum(grid, i, j)


def shifted(values, out):
    i = cuda.grid(1)
    if i < len(values):
        v = wrapped(values, i)  # the function's i is its own
        out[i] = v + len(out)


def reads_past_the_end(values, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = past_the_end(values, i)


def early_return(values, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = first_negative(values, i)


def shared_length(values, out):
    buf = cuda.shared.array((32, 2), np.float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    if t < len(buf):
        buf[t, 0] = values[i]
    cuda.syncthreads()
    if i < len(values):
        out[i] = buf[len(buf) - 1 - t, 0] * len(values)


@cuda.jit(device=True)
def element(values, i):
    return values[i % values.size]


@cuda.jit(device=True)
def element_and_mark(values, i):
    values[i] = 0
    return i


def window_sums(values, out):
    i = cuda.grid(1)
    if i < out.size:
        s = 0.0
        for k in range(3):
            s += element(values, i + k) * 0.5
        out[i] = 2 * element(values, i) + s


def guarded_by_and(values, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = i > 5 and element(values, i) > 0


def marks_inside(values, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = 1 + element_and_mark(values, i)


def _f32(rng, n):
    return rng.standard_normal(n).astype(np.float32)


def _run(function, grid, block, make_args, checks, compiled=True):
    error, counts, arrays = compare_tiers(
        cuda.jit(function), grid, block, make_args, checks, KernelError
    )
    reason = launcher.reasons.get(function.__name__)
    assert counts.get("compiled", 0) == (1 if compiled else 0), reason
    return error, arrays, reason


@CHECKS
def test_tuples_from_device_functions_unpack_as_on_the_vector_engine(checks):
    _, (x, sign, size), _ = _run(
        signs, 2, 64, lambda r: [_f32(r, 100), np.zeros(100, np.int32), np.zeros(100)], checks
    )
    assert (sign == np.where(x < 0, -1, 1)).all() and (size == np.abs(x)).all()
    _run(
        degrees,
        2,
        64,
        lambda r: [*(r.standard_normal(100) for _ in "xy"), *[np.zeros(100)] * 2],
        checks,
    )
    _, (n, out), _ = _run(
        counts, 2, 32, lambda r: [r.integers(0, 40, 50), np.zeros((50, 2), np.int64)], checks
    )
    assert out[7].tolist() == [sum(range(0, n[7], 3)), len(range(0, n[7], 3))]


@CHECKS
def test_a_division_by_zero_in_a_tuple_function_gets_the_vector_engines_report(checks):
    def make(rng):
        b = rng.integers(1, 9, 100, dtype=np.int32)
        b[77] = 0
        return [rng.integers(-50, 50, 100, dtype=np.int32), b, np.zeros(100, np.int32)]

    _, counts, _ = compare_tiers(cuda.jit(quotients), 2, 64, make, checks, KernelError)
    assert counts.get("handed back", 0) == 1
    _run(quotients, 2, 64, lambda r: make(r)[:1] + [np.ones(100, np.int32)] + make(r)[2:], checks)


def test_a_tuple_used_as_one_value_stays_on_the_vector_engine():
    make = lambda r: [r.integers(-50, 50, 100, dtype=np.int32), np.zeros(100, np.int32)]  # noqa: E731
    _, _, reason = _run(tuple_kept_whole, 2, 64, make, True, compiled=False)
    assert "tuple used other than unpacked" in reason


@CHECKS
def test_functions_handed_arrays_are_written_into_the_kernel(checks):
    def grids(rng):
        return [rng.random((20, 24)), np.zeros((20, 24))]

    _, (grid, out), _ = _run(neighbours, (3, 3), (8, 8), grids, checks)
    assert np.allclose(out[5, 5], grid[4:7, 4:7].sum() - grid[5, 5])
    _, (values, out), _ = _run(
        shifted, 2, 64, lambda r: [_f32(r, 100), np.zeros(100, np.float32)], checks
    )
    assert out[3] == values[4] * 2 + 100


@CHECKS
def test_a_fault_inside_a_function_handed_an_array_gets_the_vector_engines_report(checks):
    make = lambda r: [_f32(r, 64), np.zeros(64, np.float32)]  # noqa: E731
    error, counts, _ = compare_tiers(
        cuda.jit(reads_past_the_end), 1, 64, make, checks, (KernelError, IndexError)
    )
    assert error is not None and counts.get("handed back", 0) == 1


@CHECKS
def test_a_function_handed_an_array_returning_early_is_written_into_the_kernel(checks):
    make = lambda r: [_f32(r, 64), np.zeros(64, np.int32)]  # noqa: E731
    _run(early_return, 1, 64, make, checks)


@CHECKS
def test_len_of_an_array_is_its_first_extent(checks):
    _run(shared_length, 2, 32, lambda r: [_f32(r, 64), np.zeros(64, np.float32)], checks)


@CHECKS
def test_functions_handed_arrays_inside_an_expression_are_moved_before_it(checks):
    make = lambda r: [_f32(r, 64), np.zeros(64, np.float32)]  # noqa: E731
    _, (values, out), _ = _run(window_sums, 1, 64, make, checks)
    s = np.float32(0)
    for k in range(3):
        s += values[(5 + k) % 64] * np.float32(0.5)
    assert out[5] == 2 * values[5] + s


def test_calls_not_always_made_or_storing_are_not_moved():
    make = lambda r: [_f32(r, 64), np.zeros(64, np.int32)]  # noqa: E731
    _, _, reason = _run(guarded_by_and, 1, 64, make, True, compiled=False)
    assert "used as a value" in reason
    _, _, reason = _run(marks_inside, 1, 64, make, True, compiled=False)
    assert "used as a value" in reason
