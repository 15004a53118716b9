"""round() and bool() in compiled code: the vector engine's `np.rint(x).astype(np.int64)` of a
value per lane and Python's round of one number (both half to even), `x != 0` and Python's
bool. Both tiers, checks on and off: identical arrays and reports, and the launch ran compiled,
was handed back at run time, or stayed on the vector engine, as stated."""

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers, ran_compiled

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
TIES = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.0, -0.0, 3.7, -3.7, 1e-300, 4503599627370497.0]


def rounded(x, out, s):
    i = cuda.grid(1)
    if i < x.size:
        out[i, 0] = round(x[i])
        out[i, 1] = round(x[0]) + i  # one number for all lanes: a Python int
        out[i, 2] = round(s)
        out[i, 3] = round(s * x[i])


def rounded_integers(n, out):
    i = cuda.grid(1)
    if i < n.size:
        out[i] = round(n[i]) + round(7)


def rounded_to_digits(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = round(x[i], 2)


def truths(x, n, b, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i, 0] = bool(x[i])
        out[i, 1] = bool(n[i])
        out[i, 2] = bool(b[i])
        out[i, 3] = bool(x[i] * 0.0) or bool(n[0] - n[0])
        if bool(x[i]) and not bool(n[i]):
            out[i, 4] = True


def truth_as_number(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = bool(x[i]) + 1


def _run(function, make, checks):
    return compare_tiers(cuda.jit(function), 2, 32, make, checks, KernelError)


def _ties(dtype, specials=()):
    def make(rng):
        x = np.r_[TIES, specials, rng.uniform(-1e6, 1e6, 64 - len(TIES) - len(specials))]
        return [x.astype(dtype), np.zeros((64, 4), np.int64), 2.5]

    return make


@CHECKS
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_round_rounds_half_to_even_compiled(checks, dtype):
    error, counts, args = _run(rounded, _ties(dtype), checks)
    assert error is None and counts["compiled"] == 1, launcher.reasons.get("rounded")
    assert list(args[1][:6, 0]) == [0, 2, 2, 0, -2, -2]


@CHECKS
@pytest.mark.parametrize("special", [np.nan, np.inf, -np.inf, 1e19, -1e30])
def test_round_of_a_value_outside_int64_is_handed_back(checks, special):
    """An array gives the machine's conversion (int64's minimum on x86-64), a number raises
    (float64 only: float32 holds no NaN-free value past int64 that the kernel would not)."""
    error, counts, _ = _run(rounded, _ties(np.float64, [special]), checks)
    assert error is None and counts["handed back"] == 1


@CHECKS
@pytest.mark.parametrize("s", [np.nan, 1e300])
def test_round_of_a_python_float_that_python_refuses_or_grows_is_reported(checks, s):
    make = _ties(np.float32)
    error, counts, _ = _run(rounded, lambda r: [*make(r)[:2], s], checks)
    assert error is not None and counts["handed back"] == 1


@CHECKS
@pytest.mark.parametrize("dtype", [np.int8, np.uint32, np.int64])
def test_round_of_integers_runs_compiled(checks, dtype):
    def make(rng):
        info = np.iinfo(dtype)
        n = np.r_[info.min, info.max, 0, rng.integers(-100, 100, 61)]
        n = np.clip(n, -(2**53), 2**53)
        return [n.astype(dtype) if info.min else np.abs(n).astype(dtype), np.zeros(64, np.int64)]

    error, counts, _ = _run(rounded_integers, make, checks)
    assert error is None and counts["compiled"] == 1, launcher.reasons.get("rounded_integers")


@CHECKS
@pytest.mark.parametrize("value", [2**53 + 1, 2**63 - 1, -(2**63)])
def test_round_of_an_int64_beyond_float64s_integers_is_handed_back(checks, value):
    """numpy rounds an int64 array through float64 (2**53 + 1 becomes 2**53)."""
    make = lambda rng: [np.r_[value, np.arange(63)].astype(np.int64), np.zeros(64, np.int64)]  # noqa: E731
    error, counts, args = _run(rounded_integers, make, checks)
    assert error is None and counts["handed back"] == 1


def test_round_to_digits_stays_on_the_vector_engine():
    args = [np.linspace(-3, 3, 64), np.zeros(64)]
    assert ran_compiled(rounded_to_digits, 2, 32, args, "compiled") == 0
    assert "the built-in round()" in launcher.reasons["rounded_to_digits"]


@CHECKS
def test_bool_is_the_truth_of_floats_integers_and_bools(checks):
    def make(rng):
        x = np.r_[0.0, -0.0, np.nan, np.inf, -np.inf, 1e-45, rng.uniform(-2, 2, 58)]
        n = np.r_[0, -1, 1, np.iinfo(np.int32).min, rng.integers(-2, 3, 60)]
        return [
            x.astype(np.float32),
            n.astype(np.int32),
            rng.integers(0, 2, 64).astype(bool),
            np.zeros((64, 5), bool),
        ]

    error, counts, args = _run(truths, make, checks)
    assert error is None and counts["compiled"] == 1, launcher.reasons.get("truths")
    assert list(args[3][:6, 0]) == [False, False, True, True, True, True]


def test_a_bool_that_may_be_pythons_own_in_arithmetic_stays_on_the_vector_engine():
    args = [np.linspace(-1, 1, 64), np.zeros(64)]
    assert ran_compiled(truth_as_number, 2, 32, args, "compiled") == 0
    assert "a bool that may be Python's own" in launcher.reasons["truth_as_number"]
