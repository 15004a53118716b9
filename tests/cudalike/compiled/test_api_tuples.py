"""Calls of the device API in compiled code that the tier refused before.

Calls returning a tuple, unpacked into names or elements: `math.frexp`
(numpy's mantissa in the operand's float type and int32 exponent, zeros, infinities and NaNs
kept) and `cuda.match_all_sync` (each warp's mask of voting lanes when they all hold values of
the same bits, and whether they do). Both tiers, checks on and off: identical arrays, the
launch compiled, handed back where two NaNs meet in a match, or left on the vector engine for
the reason its test names.

numpy's ufuncs of integers by name: `np.add`, `np.subtract`, `np.multiply` wrap in numpy's
result type, `np.maximum`/`np.minimum` give it exactly, and `np.floor`/`ceil`/`trunc` keep the
integer; a Python int that does not fit the type, where numpy raises, is refused (or handed
back when only known at run time). Other integer loops (`np.square`) and int64 meeting uint64
(float64 in numpy) stay refused."""

import math

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
EDGES = [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 0.5, 3.0, 1e-40, 1e-310, 1e30, 6e-8]


def frexp_names(x, m, e):
    i = cuda.grid(1)
    if i < x.size:
        mantissa, exponent = math.frexp(x[i])
        m[i] = mantissa
        e[i] = exponent


def frexp_elements(x, m, e):
    i = cuda.grid(1)
    if i < x.size:
        m[i], e[i] = math.frexp(x[i] * 2.0 - 1.0)


def frexp_of_a_python_float(x, m, e, scale):
    i = cuda.grid(1)
    if i < x.size:
        mantissa, exponent = math.frexp(scale)
        m[i] = mantissa + x[i]
        e[i] = exponent + i


def frexp_of_an_integer(x, m, e):
    i = cuda.grid(1)
    if i < x.size:
        m[i], e[i] = math.frexp(i)


def matched_all(a, out, agree, members):
    i = cuda.grid(1)
    mask, pred = cuda.match_all_sync(members[i], a[i])
    out[i] = mask
    agree[i] = pred


def matched_all_elements(a, out, agree):
    i = cuda.grid(1)
    out[i], agree[i] = cuda.match_all_sync(0xFFFFFFFF, a[i] // 8)


def match_all_kept_whole(a, out, agree):
    i = cuda.grid(1)
    both = cuda.match_all_sync(0xFFFFFFFF, a[i])
    out[i] = both[0]


def _floats(dtype, rng, n=256):
    values = np.concatenate([np.array(EDGES), rng.uniform(-1e3, 1e3, n - len(EDGES))])
    values = values.astype(dtype)
    values[20] = np.array([0x7FC01234], np.uint32).view(np.float32)[0]  # a NaN payload
    return values


def _run(function, make, checks, griddim=2, blockdim=128):
    return compare_tiers(cuda.jit(function), griddim, blockdim, make, checks, KernelError)


@CHECKS
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("function", [frexp_names, frexp_elements], ids=["names", "elements"])
def test_frexp_runs_compiled(function, dtype, checks):
    def make(rng):
        return [_floats(dtype, rng), np.zeros(256, dtype), np.zeros(256, np.int32)]

    error, counts, args = _run(function, make, checks)
    assert error is None and counts.get("compiled", 0) == 1, launcher.reasons.get(function.__name__)
    assert (args[2] != 0).any()


@CHECKS
def test_frexp_of_a_python_float_runs_compiled(checks):
    def make(rng):
        return [rng.uniform(0, 1, 256), np.zeros(256), np.zeros(256, np.int64), 1234.5]

    error, counts, _ = _run(frexp_of_a_python_float, make, checks)
    assert error is None and counts.get("compiled", 0) == 1


@CHECKS
def test_frexp_of_an_integer_stays_on_the_vector_engine(checks):
    make = lambda rng: [np.zeros(256), np.zeros(256), np.zeros(256, np.int32)]  # noqa: E731
    error, counts, _ = _run(frexp_of_an_integer, make, checks)
    assert error is None and counts.get("compiled", 0) == 0
    assert "math.frexp of" in launcher.reasons.get("frexp_of_an_integer", "")


@CHECKS
@pytest.mark.parametrize("dtype", [np.int32, np.uint64, np.float32, np.float64])
@pytest.mark.parametrize("members", [0xFFFFFFFF, 0x0000FFFF, 0x80000001, 0])
def test_match_all_runs_compiled(checks, dtype, members):
    def make(rng):
        if np.dtype(dtype).kind == "f":
            a = np.repeat(rng.choice([0.0, -0.0, 1.5, np.inf], 3), 32)
            a[40] = -a[40]
        else:
            a = np.repeat(rng.integers(0, 3, 3), 32)
            a[70] += 1
        a = a.astype(dtype)
        return [a, np.zeros(96, np.int32), np.zeros(96, np.bool_), np.full(96, members, np.int64)]

    error, counts, args = _run(matched_all, make, checks, griddim=2, blockdim=48)
    assert error is None and counts.get("compiled", 0) == 1, launcher.reasons.get("matched_all")


@CHECKS
def test_member_masks_that_differ_per_lane_run_compiled(checks):
    def make(rng):
        members = rng.integers(0, 2**32, 128)
        members[32:64] = 0  # a warp without voters agrees, with the empty mask
        a = np.repeat(rng.integers(0, 2, 4), 32).astype(np.int64)
        return [a, np.zeros(128, np.int32), np.zeros(128, np.bool_), members]

    error, counts, args = _run(matched_all, make, checks, griddim=1, blockdim=128)
    assert error is None and counts.get("compiled", 0) == 1, launcher.reasons.get("matched_all")
    assert args[2][32:64].all() and (args[1][32:64] == 0).all()


@CHECKS
def test_two_nans_meeting_in_a_match_are_handed_back(checks):
    def make(rng):
        a = np.full(96, np.nan, np.float32)
        return [a, np.zeros(96, np.int32), np.zeros(96, np.bool_), np.full(96, 0xFFFFFFFF)]

    error, counts, _ = _run(matched_all, make, checks, griddim=2, blockdim=48)
    assert error is None and counts.get("handed back", 0) == 1


@CHECKS
def test_match_all_into_elements_runs_compiled(checks):
    make = lambda rng: [
        np.arange(256, dtype=np.int32),
        np.zeros(256, np.int32),
        np.zeros(256, np.bool_),
    ]  # noqa: E731,E501
    error, counts, args = _run(matched_all_elements, make, checks)
    assert error is None and counts.get("compiled", 0) == 1
    assert not args[2].any()


@CHECKS
def test_match_all_kept_as_a_tuple_stays_on_the_vector_engine(checks):
    make = lambda rng: [
        np.arange(256, dtype=np.int32),
        np.zeros(256, np.int32),
        np.zeros(256, np.bool_),
    ]  # noqa: E731,E501
    error, counts, _ = _run(match_all_kept_whole, make, checks)
    assert error is None and counts.get("compiled", 0) == 0


def integer_ufuncs(a, b, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i, 0] = np.add(a[i], b[i])
        out[i, 1] = np.subtract(a[i], b[i])
        out[i, 2] = np.multiply(a[i], b[i])
        out[i, 3] = np.maximum(a[i], b[i])
        out[i, 4] = np.minimum(a[i], b[i])
        out[i, 5] = np.floor(a[i]) + np.ceil(b[i]) - np.trunc(a[i])
        out[i, 6] = np.add(a[i], 7) * np.maximum(3, b[i])


def integer_ufunc_results(a, b, sums, larger):
    i = cuda.grid(1)
    if i < a.size:
        sums[i] = np.add(a[i], b[i])
        larger[i] = np.maximum(a[i], b[i])


def integer_ufunc_overflowing_literal(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = np.add(a[i], 1000)


def integer_square(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = np.square(a[i])


def _extremes(dtype, rng, n=256):
    info = np.iinfo(dtype)
    edges = [info.min, info.max, 0, 1, info.min + 1, info.max - 1]
    edges = [e for e in edges if info.min <= e <= info.max]
    values = rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)
    values[: len(edges)] = edges
    return values


INTEGER_PAIRS = [
    (np.int8, np.int8),
    (np.int8, np.uint8),
    (np.int32, np.int32),
    (np.uint32, np.int32),
    (np.int64, np.int64),
    (np.uint64, np.uint64),
]


@CHECKS
@pytest.mark.parametrize("left,right", INTEGER_PAIRS, ids=lambda d: np.dtype(d).name)
def test_integer_ufuncs_run_compiled(left, right, checks):
    def make(rng):
        a, b = _extremes(left, rng), _extremes(right, rng)[::-1].copy()
        return [a, b, np.zeros((256, 7), np.float64)]

    error, counts, _ = _run(integer_ufuncs, make, checks)
    assert error is None and counts.get("compiled", 0) == 1, launcher.reasons.get("integer_ufuncs")


@CHECKS
@pytest.mark.parametrize("left,right", INTEGER_PAIRS, ids=lambda d: np.dtype(d).name)
def test_integer_ufuncs_keep_numpys_types(left, right, checks):
    """Stored to arrays of numpy's result type, so a wrong width or wrap would show."""
    kind = np.result_type(np.ones(1, left), np.ones(1, right))

    def make(rng):
        a, b = _extremes(left, rng), _extremes(right, rng)[::-1].copy()
        return [a, b, np.zeros(256, kind), np.zeros(256, kind)]

    error, counts, _ = _run(integer_ufunc_results, make, checks)
    assert error is None and counts.get("compiled", 0) == 1


@CHECKS
def test_a_python_int_that_does_not_fit_stays_on_the_vector_engine(checks):
    make = lambda rng: [_extremes(np.int8, rng), np.zeros(256, np.int64)]  # noqa: E731
    error, counts, _ = _run(integer_ufunc_overflowing_literal, make, checks)
    assert error is not None and counts.get("compiled", 0) == 0
    reason = launcher.reasons.get("integer_ufunc_overflowing_literal", "")
    assert "the Python integer 1000 lies outside" in reason


def integer_ufunc_of_an_argument(a, out, offset):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = np.add(a[i], offset)


@CHECKS
@pytest.mark.parametrize("offset,ran", [(100, "compiled"), (1000, "handed back")])
def test_a_python_int_argument_that_does_not_fit_is_handed_back(offset, ran, checks):
    make = lambda rng: [_extremes(np.int8, rng), np.zeros(256, np.int64), offset]  # noqa: E731
    error, counts, _ = _run(integer_ufunc_of_an_argument, make, checks)
    assert (error is None) == (ran == "compiled") and counts.get(ran, 0) == 1


@CHECKS
def test_other_integer_loops_stay_on_the_vector_engine(checks):
    make = lambda rng: [_extremes(np.int32, rng), np.zeros(256, np.int64)]  # noqa: E731
    error, counts, _ = _run(integer_square, make, checks)
    assert error is None and counts.get("compiled", 0) == 0
    assert "which computes in an integer type" in launcher.reasons.get("integer_square", "")
