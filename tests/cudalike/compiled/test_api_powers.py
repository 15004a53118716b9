"""`x ** y` and `pow(x, y)` beyond a numpy value to a number written in the kernel: integer
powers exact (handed back where they leave their type or the exponent is negative at run time),
Python's float powers (handed back where Python raises). Both tiers, checks on and off:
identical arrays and reports, and the launch ran compiled or was handed back as stated."""

import math

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from cudalike.simt.compiled import numpy_scalars as ns
from tests.cudalike.compiled.tiers import compare_tiers, ran_compiled

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])


def powers_of_two(out, n):
    t = cuda.grid(1)
    if t < out.shape[0]:
        for i in range(n):
            out[t, i] = 2**i + t


def signed_bases(out, base, n):
    t = cuda.grid(1)
    if t < out.shape[0]:
        for i in range(n):
            out[t, i] = (base - t) ** i


def narrow_integers(x, n, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = x[i] ** n + pow(n, x[i] % 5)


def shifted_exponent(out, n):
    t = cuda.grid(1)
    if t < out.size:
        out[t] = 2 ** (t - n)


def python_exponent(out, n):
    t = cuda.grid(1)
    if t < out.shape[0]:
        for k in range(out.shape[1]):
            out[t, k] = 2 ** (k - n)


def float_powers(out, s, n):
    t = cuda.grid(1)
    if t < out.shape[0]:
        for k in range(4):
            out[t, k] = 1.5 ** (k - 2) + s**0.5 + (-2.0) ** k
        out[t, 4] = 2**-2 + pow(10.0, n)
        out[t, 5] = s ** (n * 0.25)


def block_loop_power(a, out):
    tile = cuda.shared.array(64, np.float32)
    tx = cuda.threadIdx.x
    tile[tx] = a[cuda.grid(1)]
    cuda.syncthreads()
    for i in range(1, 7):
        step = 2**i
        if tx % step == 0:
            tile[tx] += tile[tx + step // 2]
        cuda.syncthreads()
    out[cuda.grid(1)] = tile[tx]


def float_to_run_time_power(x, n, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = x[i] ** n


def _run(function, make, checks, grid=2, block=32):
    error, counts, args = compare_tiers(cuda.jit(function), grid, block, make, checks, KernelError)
    return error, counts, args


@CHECKS
@pytest.mark.parametrize("n", [0, 1, 40, 63])
def test_python_int_powers_of_a_loop_variable_run_compiled(checks, n):
    error, counts, args = _run(powers_of_two, lambda r: [np.zeros((64, 64), np.int64), n], checks)
    assert error is None and counts["compiled"] == 1, launcher.reasons.get("powers_of_two")
    assert args[0][5, n - 1] == (2 ** (n - 1) + 5 if n else 0)


@CHECKS
def test_a_python_int_power_past_int64_is_handed_back_and_reported(checks):
    error, counts, _ = _run(powers_of_two, lambda r: [np.zeros((64, 64), np.int64), 64], checks)
    assert "OverflowError" in str(error) and counts["handed back"] == 1


@CHECKS
@pytest.mark.parametrize(
    ("base", "n", "ran"),
    [(0, 5, True), (1, 64, True), (2, 64, False), (3, 39, True), (3, 41, False)],
)
def test_signed_bases_run_compiled_while_the_power_fits_int64(checks, base, n, ran):
    """int64 bases `base` down to `base - 3` (one per thread), to the Python-int powers 0 to
    n - 1: (-2) ** 63 is int64's minimum; 2 ** 63 and 3 ** 40 do not fit, numpy wraps them and
    compiled code hands the launch back."""
    make = lambda r: [np.zeros((4, 64), np.int64), base, n]  # noqa: E731
    error, counts, _ = _run(signed_bases, make, checks, 1, 32)
    assert error is None
    assert counts["compiled" if ran else "handed back"] == 1, launcher.reasons.get("signed_bases")


@CHECKS
@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.uint16, np.int64])
@pytest.mark.parametrize("n", [0, 2, 3, 7])
def test_numpy_integers_to_a_python_int_match_numpy_where_they_fit(checks, dtype, n):
    """numpy wraps a power outside the type: compiled code hands that launch back."""

    def make(rng):
        info = np.iinfo(dtype)
        x = np.r_[0, 1, 2, 3, 5, info.max, info.min, rng.integers(-4, 5, 57)]
        return [np.abs(x).astype(dtype) if info.min == 0 else x.astype(dtype), n, np.zeros(64)]

    error, counts, args = _run(narrow_integers, make, checks)
    assert error is None  # numpy wraps x.max ** n: compiled code hands back for n >= 2
    assert counts["compiled" if n == 0 else "handed back"] == 1, launcher.reasons.get(
        "narrow_integers"
    )


@CHECKS
def test_small_numpy_integer_powers_run_compiled(checks):
    make = lambda r: [r.integers(-6, 7, 64).astype(np.int32), 3, np.zeros(64)]  # noqa: E731
    error, counts, _ = _run(narrow_integers, make, checks)
    assert error is None and counts["compiled"] == 1, launcher.reasons.get("narrow_integers")


@CHECKS
def test_a_python_int_too_large_for_the_base_type_is_reported_as_numpy_does(checks):
    make = lambda r: [np.arange(64, dtype=np.int8), 300, np.zeros(64)]  # noqa: E731
    error, counts, _ = _run(narrow_integers, make, checks)
    assert error is not None and counts["handed back"] == 1


@CHECKS
@pytest.mark.parametrize("n", [-5, 0, 3])
def test_a_negative_numpy_exponent_is_handed_back_and_reported(checks, n):
    """`2 ** (t - n)`, an int64 exponent per lane: numpy refuses negative ones."""
    error, counts, args = _run(shifted_exponent, lambda r: [np.zeros(32), n], checks, 1, 32)
    assert counts["compiled" if n <= 0 else "handed back"] == 1, launcher.reasons.get(
        "shifted_exponent"
    )
    assert (error is None) == (n <= 0)
    if n <= 0:
        assert args[0][0] == 2.0 ** (-n)


@CHECKS
@pytest.mark.parametrize("n", [-3, 0, 3])
def test_a_negative_python_exponent_is_handed_back(checks, n):
    """`2 ** (k - n)` of Python ints is a Python float where k < n: handed back."""
    error, counts, args = _run(python_exponent, lambda r: [np.zeros((32, 8)), n], checks, 1, 32)
    assert error is None
    assert counts["compiled" if n <= 0 else "handed back"] == 1, launcher.reasons.get(
        "python_exponent"
    )
    assert args[0][0, 0] == 2.0 ** (-n)


@CHECKS
@pytest.mark.parametrize(("s", "n"), [(2.25, 3), (0.0, 2), (1e-300, 1), (7.0, -400)])
def test_python_float_powers_run_compiled(checks, s, n):
    make = lambda r: [np.zeros((64, 6)), s, n]  # noqa: E731
    error, counts, _ = _run(float_powers, make, checks)
    assert error is None and counts["compiled"] == 1, launcher.reasons.get("float_powers")


@CHECKS
@pytest.mark.parametrize(("s", "n"), [(-2.0, 3), (0.0, -4), (2.0, 400)])
def test_where_python_raises_the_launch_is_handed_back_and_reported(checks, s, n):
    """A negative number to 0.75 (complex in Python), 0.0 to a negative power, 10.0 ** 400."""
    error, counts, _ = _run(float_powers, lambda r: [np.zeros((64, 6)), s, n], checks)
    assert counts["handed back"] == 1
    assert error is not None


@CHECKS
def test_a_power_of_a_block_level_loop_variable_runs_compiled(checks):
    make = lambda r: [r.standard_normal(128).astype(np.float32), np.zeros(128, np.float32)]  # noqa: E731
    error, counts, _ = _run(block_loop_power, make, checks, grid=2, block=64)
    assert error is None and counts["compiled"] == 1, launcher.reasons.get("block_loop_power")


def test_a_numpy_float_to_a_run_time_exponent_stays_on_the_vector_engine():
    args = [np.ones(64, np.float32), 3, np.zeros(64, np.float32)]
    assert ran_compiled(float_to_run_time_power, 2, 32, args, "compiled") == 0
    reason = launcher.reasons["float_to_run_time_power"]
    assert "numpy float to a value known only at run time" in reason


def test_the_python_power_gives_python_bits_or_hands_back():
    values = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, 1e-310, 1e300, -1e300]
    values += [math.inf, -math.inf, math.nan, 1.5, -7.25, 10.0, 0.1]
    exponents = values + [-1.0, -2.0, -3.0, 1023.0, 1075.0, -1075.0, 0.75, 1e20]
    rng = np.random.default_rng(1)
    pairs = [(x, y) for x in values for y in exponents]
    pairs += list(zip(rng.uniform(-20, 20, 3000), rng.uniform(-30, 30, 3000), strict=True))
    pairs += list(zip(rng.uniform(0, 3, 2000), rng.uniform(-400, 400, 2000), strict=True))
    for x, y in ((float(x), float(y)) for x, y in pairs):
        try:
            expected = x**y
        except (ZeroDivisionError, OverflowError):
            expected = None
        if isinstance(expected, complex):
            expected = None
        try:
            got = ns.python_power(x, y)
        except IndexError:
            got = None
        if expected is None or got is None:
            # handed back where Python raises, and where 0.0 ** -inf (inf in Python) meets
            # the check for 0.0 to a negative power
            assert got is None and (expected is None or (x == 0.0 and y == -math.inf))
            continue
        assert np.float64(got).tobytes() == np.float64(expected).tobytes(), (x, y)


@pytest.mark.parametrize("base", [0, 1, -1, 2, -2, 3, -3, 7, 10, -(2**31), 2**62, -(2**63)])
def test_the_integer_power_is_exact_or_hands_back(base):
    for exponent in [-3, -1, 0, 1, 2, 3, 5, 31, 32, 62, 63, 64, 200, 2**62]:
        try:
            got = ns.integer_power(base, exponent, -(2**63), 2**63 - 1)
        except IndexError:
            got = None
        exact = base**exponent if exponent >= 0 and (abs(base) < 2 or exponent < 300) else None
        fits = exact is not None and -(2**63) <= exact < 2**63
        assert got == (exact if fits else None), (base, exponent)
