"""math.remainder in compiled code: CPython's own algorithm (numba has no math.remainder),
exact, the result in numpy's result type of the operands; where Python raises (a zero divisor,
an infinite dividend) the launch is handed back and the vector engine reports it."""

import math

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from cudalike.simt.compiled import numpy_scalars as ns
from tests.cudalike.compiled.tiers import compare_tiers

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
EDGES = [0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, -2.5, 3.0, 7.0, 1e-310, 5e-324, 1e308, -1e308]
EDGES += [math.inf, -math.inf, math.nan, 0.1, 2.0**-1074 * 3, 6.0, 2.0**52 + 1]


def remainders(x, y, out, s):
    i = cuda.grid(1)
    if i < x.size:
        out[i, 0] = math.remainder(x[i], y[i])
        out[i, 1] = math.remainder(x[i], s)
        out[i, 2] = math.remainder(s, 0.75)


def integer_remainders(n, out):
    i = cuda.grid(1)
    if i < n.size:
        out[i] = math.remainder(n[i], 4)


def test_remainder_gives_pythons_bits_or_hands_back():
    rng = np.random.default_rng(2)
    pairs = [(x, y) for x in EDGES for y in EDGES]
    ties = rng.integers(-1000, 1000, 2000) + 0.5
    pairs += list(zip(ties * 3.0, np.full(2000, 3.0), strict=True))
    pairs += list(zip(rng.uniform(-1e6, 1e6, 4000), rng.uniform(-30, 30, 4000), strict=True))
    for x, y in ((float(x), float(y)) for x, y in pairs):
        try:
            expected = math.remainder(x, y)
        except ValueError:
            expected = None
        try:
            got = ns.remainder(x, y)
        except IndexError:
            got = None
        if expected is None or got is None:
            assert expected is None and got is None, (x, y)
        else:
            assert np.float64(got).tobytes() == np.float64(expected).tobytes(), (x, y)


@CHECKS
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_remainders_run_compiled(checks, dtype):
    def make(rng):
        x = np.r_[[-0.0, 0.0, 7.5, -7.5, 4.5, np.nan], rng.uniform(-50, 50, 58)].astype(dtype)
        y = np.r_[[1.0, -1.0, 3.0, 3.0, 3.0, 2.0], rng.uniform(0.5, 9, 58)].astype(dtype)
        return [x, y, np.zeros((64, 3), dtype), 2.5]

    error, counts, args = compare_tiers(cuda.jit(remainders), 2, 32, make, checks, KernelError)
    assert error is None and counts["compiled"] == 1, launcher.reasons.get("remainders")
    assert args[2][2, 0] == 1.5 and args[2][3, 0] == -1.5 and args[2][4, 0] == -1.5


@CHECKS
@pytest.mark.parametrize(("zero", "infinite"), [(True, False), (False, True)])
def test_a_zero_divisor_or_an_infinite_dividend_is_reported(checks, zero, infinite):
    def make(rng):
        x = rng.uniform(-50, 50, 64)
        y = rng.uniform(0.5, 9, 64)
        y[5], x[6] = (0.0 if zero else y[5]), (math.inf if infinite else x[6])
        return [x, y, np.zeros((64, 3)), 2.5]

    error, counts, _ = compare_tiers(cuda.jit(remainders), 2, 32, make, checks, KernelError)
    assert "ValueError" in str(error) and counts["handed back"] == 1


@CHECKS
def test_remainders_of_integers_are_float64(checks):
    make = lambda rng: [np.arange(-32, 32, dtype=np.int16), np.zeros(64)]  # noqa: E731
    kernel = cuda.jit(integer_remainders)
    error, counts, args = compare_tiers(kernel, 2, 32, make, checks, KernelError)
    assert error is None and counts["compiled"] == 1, launcher.reasons.get("integer_remainders")
    assert args[1][32 + 6] == -2.0 and args[1][32 + 2] == 2.0
