"""A variable that starts as a Python number may still hold it on the vector engine where no
lane replaced it (a loop that ran no iteration, a branch no lane took). Reads whose value is the
same once it meets a numpy-typed value (`s * 0.5 + a[i, k]` after `s = 0.0`), compares, stores
or casts stay compiled; reads that would give other bits keep the kernel on the vector engine."""

import math

import numpy as np
import pytest
from numba import int32

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers

pytestmark = pytest.mark.slow

START = 0.25  # a module's float constant, resolved by the kernel


def halving(a, n, out):
    """Python's `0.0 * 0.5` is 0.0, which meets float32 as float32(0) * 0.5 does."""
    i = cuda.grid(1)
    if i < out.size:
        s = 0.0
        for k in range(n):
            s = s * 0.5 + a[i, k]
        out[i] = s


def tripled_point_one(a, n, out):
    """0.1 * 3.0 rounds to the float32 that float32(0.1) * 3.0 gives."""
    i = cuda.grid(1)
    if i < out.size:
        s = 0.1
        for k in range(n):
            s = s * 3.0 + a[i, k]
        out[i] = s


def from_a_module_constant(a, n, out):
    i = cuda.grid(1)
    if i < out.size:
        s = START
        for k in range(n):
            s = -(s * 0.5) + a[i, k]
        out[i] = s


def smallest(a, n, out):
    i = cuda.grid(1)
    if i < out.size:
        best = math.inf
        worst = -math.inf
        for k in range(n):
            if a[i, k] < best:
                best = a[i, k]
            if a[i, k] > worst:
                worst = a[i, k]
        out[i] = best
        out[i] += worst


def wrapped_back(a, n, out):
    """int8: 43 * 3 - 4 is 125 in Python, and wraps twice back to 125 in int8."""
    i = cuda.grid(1)
    if i < out.size:
        s = 43
        for k in range(n):
            s = s * 3 - 4 + a[i, k]
        out[i] = s


def shifted_down(a, n, out):
    """`(s - 1) * a[i, 0]`: -1 either way meets int32 as int32."""
    i = cuda.grid(1)
    if i < out.size:
        s = 0
        for k in range(n):
            s += a[i, k]
        out[i] = (s - 1) * a[i, 0]
        if s * 2 < a[i, 0]:
            out[i] += 1


@cuda.jit(device=True)
def count_above(a, i):
    count = 0
    for k in range(a.shape[1]):
        if a[i, k] > 50:
            count += a[i, k] - a[i, k] + 1
    return count


def counted(a, out):
    """The device function's count, still a Python 0 where no lane added, is copied and
    compared."""
    i = cuda.grid(1)
    if i < out.size:
        found = count_above(a, i)
        if found == 3 or found > 5:
            out[i] = 1
        else:
            out[i] = found


BINS = 8


def clamped_bin(x, out):
    """`b = BINS - 1`: a start number the kernel computes from a module's constant."""
    i = cuda.grid(1)
    if i < out.size:
        b = BINS - 1
        if x[i] < 1:
            b = int32(x[i])
        if b >= BINS - 2:
            out[i] = b * 2


def row_max(a, n, out, total):
    """`max(m, a[i, k])` is numpy's maximum, typed as arithmetic; an atomic adds the count."""
    i = cuda.grid(1)
    if i < out.size:
        m = -math.inf
        c = 0
        for k in range(n):
            m = max(m, a[i, k])
            c += int32(1)
        out[i] = m
        cuda.atomic.add(total, 0, c)


def scaled_doubles(a, n, out):
    """`s * h` with `h = 1.0 / n` unknown when compiling: the same double on both tiers."""
    i = cuda.grid(1)
    h = 1.0 / (n + 1)
    if i < out.size:
        s = 0.0
        for k in range(n):
            s += a[i, k] * 2.0
        out[i] = s * h - 0.5 * h
        if s * h < a[i, 0]:
            out[i] += 1.0


def _accepted(function, make, checks):
    with np.errstate(all="ignore"):
        _, counts, _ = compare_tiers(cuda.jit(function), 2, 32, make, checks, KernelError)
    assert counts.get("compiled", 0) == 1, launcher.reasons.get(function.__name__)


def _floats(n, dtype=np.float32):
    def make(rng):
        return [(rng.standard_normal((64, 5)) * 10).astype(dtype), n, np.zeros(64, dtype)]

    return make


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize("n", [0, 1, 5])
@pytest.mark.parametrize("function", [halving, tripled_point_one, from_a_module_constant, smallest])
def test_float_starts_that_meet_float32_alike_stay_compiled(checks, n, function):
    _accepted(function, _floats(n), checks)


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize("n", [0, 1, 5])
def test_an_int8_start_that_wraps_back_to_pythons_value_stays_compiled(checks, n):
    def make(rng):
        return [rng.integers(-128, 128, (64, 5), dtype=np.int8), n, np.zeros(64, np.int8)]

    _accepted(wrapped_back, make, checks)


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize("n", [0, 3])
def test_an_int_start_read_in_arithmetic_and_a_comparison_stays_compiled(checks, n):
    def make(rng):
        return [rng.integers(-50, 50, (64, 5), dtype=np.int32), n, np.zeros(64, np.int32)]

    _accepted(shifted_down, make, checks)


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize("low", [-3.0, 1.0], ids=["some-lanes-replace-it", "no-lane-does"])
def test_a_start_computed_from_a_module_constant_stays_compiled(checks, low):
    def make(rng):
        return [rng.uniform(low, 9.0, 64).astype(np.float32), np.zeros(64, np.int32)]

    _accepted(clamped_bin, make, checks)


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize("n", [0, 4])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_max_and_an_atomic_of_python_number_starts_stay_compiled(checks, n, dtype):
    def make(rng):
        a = rng.standard_normal((64, 5)).astype(dtype)
        return [a, n, np.zeros(64, dtype), np.zeros(1, np.int32)]

    _accepted(row_max, make, checks)


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize("n", [0, 3])
def test_float64_starts_with_unknown_python_floats_stay_compiled(checks, n):
    _accepted(scaled_doubles, _floats(n, np.float64), checks)


@pytest.mark.parametrize("checks", [True, False])
def test_a_device_functions_count_copied_and_compared_stays_compiled(checks):
    def make(rng):
        a = rng.integers(0, 100, (64, 8), dtype=np.int32)
        a[:16] = 0  # rows where no element is above the threshold
        return [a, np.zeros(64, np.int32)]

    _accepted(counted, make, checks)


def tripled_point_three(a, n, out):
    """0.3 * 3.0 rounds to 0.9 in float32, float32(0.3) * 3.0 to the float32 after it."""
    i = cuda.grid(1)
    if i < out.size:
        s = 0.3
        for k in range(n):
            s = s * 3.0 + a[i, k]
        out[i] = s


def unsigned_minus(a, n, out):
    """uint8: Python's 1 * 3 - 4 is -1, which no uint8 holds; uint8(1) * 3 - 4 is 255."""
    i = cuda.grid(1)
    if i < out.size:
        s = 1
        for k in range(n):
            s = s * 3 - 4 + a[i, k]
        out[i] = s


def int8_overflow(a, n, out):
    """int8: Python's 50 * 3 - 4 is 146, which no int8 holds; int8 gives -110."""
    i = cuda.grid(1)
    if i < out.size:
        s = 50
        for k in range(n):
            s = s * 3 - 4 + a[i, k]
        out[i] = s


def halved_alone(a, n, out):
    """`s = s * 0.5` keeps a Python number a Python number."""
    i = cuda.grid(1)
    if i < out.size:
        s = 0.1
        for k in range(n):
            s += a[i, k]
        s = s * 0.5
        out[i] = s


def compared_in_float64(a, d, n, out):
    """float64 `d[i]` is compared with Python's 0.1 there, with float32(0.1) compiled."""
    i = cuda.grid(1)
    if i < out.size:
        best = 0.1
        for k in range(n):
            best += a[i, k]
        if d[i] < best:
            out[i] = 1


def doubles_meet_float32(a, b, n, out):
    """Python's `0.0 * h` meets float32 as float32, compiled float64(0) * h as float64."""
    i = cuda.grid(1)
    h = 1.0 / (n + 3)
    if i < out.size:
        s = 0.0
        for k in range(n):
            s += a[i, k]
        out[i] = s * h + b[i]


def atomic_index(a, n, hist):
    """A Python number's read as an atomic's index names the element its typed value names."""
    i = cuda.grid(1)
    if i < a.shape[0]:
        b = 0
        for k in range(n):
            b = a[i, k] % 4
        cuda.atomic.add(hist, b, 1)


def _ints(dtype, out_dtype):
    info = np.iinfo(dtype)

    def make(rng):
        a = rng.integers(0, info.max, (64, 5), dtype=dtype)
        return [a, 0, np.zeros(64, out_dtype)]

    return make


def _with_doubles(n):
    def make(rng):
        a = rng.standard_normal((64, 5)).astype(np.float32)
        d = np.full(64, 0.1) + np.linspace(-1e-9, 1e-9, 64)
        return [a, d, n, np.zeros(64, np.int32)]

    return make


def _doubles(n):
    def make(rng):
        return [np.ones((64, 5)), np.full(64, 0.1, np.float32), n, np.zeros(64)]

    return make


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize(
    ("function", "make"),
    [
        (tripled_point_three, _floats(0)),
        (unsigned_minus, _ints(np.uint8, np.int64)),
        (int8_overflow, _ints(np.int8, np.int64)),
    ],
)
def test_reads_that_would_give_other_bits_stay_on_the_vector_engine(checks, function, make):
    """The loops run no iteration, so the vector engine computes with the Python numbers:
    identical results, from the vector engine."""
    with np.errstate(all="ignore"):
        _, counts, _ = compare_tiers(cuda.jit(function), 2, 32, make, checks, KernelError)
    assert counts.get("compiled", 0) == 0
    assert "Python number" in launcher.reasons[function.__name__]


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize(("n", "outcome"), [(0, "handed back"), (3, "compiled")])
@pytest.mark.parametrize(
    ("function", "make"),
    [
        (halved_alone, lambda n: _floats(n, np.float64)),
        (compared_in_float64, _with_doubles),
        (doubles_meet_float32, _doubles),
    ],
)
def test_reads_that_would_give_other_bits_after_a_loop_are_checked_to_iterate(
    checks, n, outcome, function, make
):
    """The loop is checked at run time to run at least once, so the read meets the numpy-typed
    value: a launch whose loops run no iteration is handed back, and the vector engine computes
    with the Python numbers."""
    with np.errstate(all="ignore"):
        _, counts, _ = compare_tiers(cuda.jit(function), 2, 32, make(n), checks, KernelError)
    assert counts.get(outcome, 0) == 1, launcher.reasons.get(function.__name__)


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize("n", [0, 3])
def test_a_python_number_read_as_an_atomics_index_stays_compiled(checks, n):
    def make(rng):
        return [rng.integers(0, 9, (64, 5), dtype=np.int32), n, np.zeros(4, np.int32)]

    _accepted(atomic_index, make, checks)
