"""`//`, `%` and shifts of an integer that is int32 in some runs of the vector engine and int64
in others (widths.py): `//`, `%` and `>>` by a known count run compiled where the operands lie
in int32 above its minimum and are handed back elsewhere (a wrapped int32 run, the minimum
// -1, a division by zero); `<<` by a known count in [0, 64) keeps the int64 number's low 32
bits whatever wrapped. A shift by a count not known when compiling stays on the vector engine.
Every run (a branch taken by every lane of the chunk, by none, by some; values at the int32
limits) gives identical arrays on both tiers, checks on and off."""

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers, how_it_ran, launch

pytestmark = pytest.mark.slow

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
N = 64
FLAGS = {"all": np.ones(N, np.int8), "none": np.zeros(N, np.int8), "some": np.arange(N) % 3 == 0}


def exact_reads(a32, b64, flags, quotient, remainder, right, left, n):
    """`d` is int64 where a lane took the first branch, int32 where every lane took the second."""
    i = cuda.grid(1)
    if i >= n:
        return
    if flags[i] == 1:
        d = b64[i] - 1
    else:
        d = a32[i] + 7
    quotient[i] = d // 3 + d // -4
    remainder[i] = d % 7 - d % -5
    right[i] = (d >> 1) + (d >> 40)
    left[i] = (d << 35) | (d << 3)


def updated(a32, b64, flags, out, n):
    """The same reads as augmented assignments."""
    i = cuda.grid(1)
    if i >= n:
        return
    if flags[i] == 1:
        d = b64[i] - 1
    else:
        d = a32[i] + 7
    d //= -3
    d >>= 2
    d %= 1000
    out[i] = d


def thread_minus(a, out):
    """`d` is int64 where the first branch ran (a thread index), int32 where only the second."""
    i = cuda.grid(1)
    if i < a.size:
        if a[i] > 0:
            d = i - a[i]
        else:
            d = cuda.blockDim.x - a[i]
        out[i] = d % 7


def maybe_floor(a32, flags, out, n):
    """An int32 plus a Python int, merged into an int64 array where the lanes differ (a choice
    `5 if flags[i] == 1 else -3` would be an int64 array always: numpy's `where`)."""
    i = cuda.grid(1)
    if i >= n:
        return
    m = -3
    if flags[i] == 1:
        m = 5
    out[i] = (a32[i] + m) // 4 + (a32[i] + m) % 3


def minimum_by_minus_one(a32, b64, flags, out, n):
    i = cuda.grid(1)
    if i < n:
        if flags[i] == 1:
            d = b64[i]
        else:
            d = a32[i]
        out[i] = d // -1


def by_element(a32, b64, flags, out, n):
    i = cuda.grid(1)
    if i < n:
        if flags[i] == 1:
            d = b64[i]
        else:
            d = a32[i]
        out[i] = d // a32[i] + d % a32[i]


def shift_by_element(a32, b64, flags, out, n):
    i = cuda.grid(1)
    if i < n:
        if flags[i] == 1:
            d = b64[i]
        else:
            d = a32[i]
        out[i] = d >> a32[i]


def shift_by_negative(a32, b64, flags, out, n):
    i = cuda.grid(1)
    if i < n:
        if flags[i] == 1:
            d = b64[i]
        else:
            d = a32[i]
        out[i] = d << -1


def _compare(function, make_args, checks, grid=2, block=32):
    error, counts, _ = compare_tiers(
        cuda.jit(function), grid, block, make_args, checks, KernelError
    )
    assert error is None
    return how_it_ran(counts), launcher.reasons.get(function.__name__)


def _args(a32_start: int, b64_start: int, flags: str, *outputs):
    def make_args(rng):
        a32 = (a32_start + np.arange(N) * rng.integers(1, 3)).astype(np.int32)
        b64 = (b64_start + np.arange(N)).astype(np.int64)
        made = [np.zeros(N, dtype) for dtype in outputs]
        return [a32, b64, FLAGS[flags].astype(np.int8), *made, N]

    return make_args


EXACT_OUTPUTS = (np.int64, np.int32, np.int64, np.int32)


@CHECKS
@pytest.mark.parametrize("flags", sorted(FLAGS))
@pytest.mark.parametrize("start", [-40, INT32_MIN + 1, INT32_MAX - 7 - 2 * N])
def test_exact_reads_run_compiled_within_int32(flags, start, checks):
    make_args = _args(start, start + 1, flags, *EXACT_OUTPUTS)
    ran, reason = _compare(exact_reads, make_args, checks)
    assert ran == "compiled", reason
    ran, reason = _compare(updated, _args(start, start + 1, flags, np.int64), checks)
    assert ran == "compiled", reason


@CHECKS
@pytest.mark.parametrize(
    ("flags", "a32", "b64"),
    [
        ("none", INT32_MAX - 40, 0),  # + 7 wraps in the int32 run
        ("all", 0, -(2**31) + 1),  # b64 - 1 is the minimum
        ("all", 0, 2**40),
        ("some", 0, -(2**31) + 1),  # b64 - 1 is the minimum
        ("some", INT32_MAX - 40, 5),
    ],
)
def test_exact_reads_outside_int32_are_handed_back(flags, a32, b64, checks):
    make_args = _args(a32, b64, flags, *EXACT_OUTPUTS)
    ran, _ = _compare(exact_reads, make_args, checks)
    assert ran == "handed back"


@CHECKS
@pytest.mark.parametrize("sign", [1, -1], ids=["first", "second"])
@pytest.mark.parametrize("mixed", [False, True], ids=["uniform", "mixed"])
def test_the_brief_remainder_runs_compiled(sign, mixed, checks):
    def make_args(rng):
        a = (sign * rng.integers(1, 1000, 2 * N)).astype(np.int32)
        if mixed:
            a[::5] = -a[::5]
        return [a, np.zeros(2 * N, np.int64)]

    ran, reason = _compare(thread_minus, make_args, checks, grid=4)
    assert ran == "compiled", reason


@CHECKS
@pytest.mark.parametrize(
    ("flags", "start", "expected"),
    [
        ("all", -5, "compiled"),
        ("none", -5, "compiled"),
        ("some", -5, "compiled"),
        ("all", INT32_MAX - 7, "handed back"),  # + 5 wraps in the int32 run
        ("none", INT32_MAX - 7, "compiled"),  # - 3 does not
        ("some", INT32_MAX - 7, "handed back"),
        ("none", INT32_MIN + 4, "compiled"),
        ("none", INT32_MIN + 3, "handed back"),  # - 3 is the minimum
        ("some", INT32_MIN + 3, "handed back"),
    ],
)
def test_int32_plus_maybe_python_int_divided(flags, start, expected, checks):
    def make_args(rng):
        a32 = (start + np.arange(N) % 5).astype(np.int32)
        return [a32, FLAGS[flags].astype(np.int8), np.zeros(N, np.int32), N]

    ran, reason = _compare(maybe_floor, make_args, checks)
    assert ran == expected, reason


@CHECKS
@pytest.mark.parametrize("flags", sorted(FLAGS))
def test_the_minimum_by_minus_one_is_handed_back(flags, checks):
    """int32's minimum // -1 wraps to the minimum in the int32 run alone."""
    ran, _ = _compare(minimum_by_minus_one, _args(INT32_MIN, INT32_MIN, flags, np.int64), checks)
    assert ran == "handed back"
    ran, reason = _compare(minimum_by_minus_one, _args(-N, 5, flags, np.int64), checks)
    assert ran == "compiled", reason


@CHECKS
@pytest.mark.parametrize("flags", sorted(FLAGS))
def test_division_by_zero_is_handed_back(flags, checks):
    ran, _ = _compare(by_element, _args(-N // 2, 5, flags, np.int64), checks)
    assert ran == "handed back"
    ran, reason = _compare(by_element, _args(1, 5, flags, np.int64), checks)
    assert ran == "compiled", reason


@CHECKS
@pytest.mark.parametrize("function", [shift_by_element, shift_by_negative])
def test_shifts_by_other_counts_stay_on_the_vector_engine(function, checks):
    ran, reason = _compare(function, _args(0, 5, "some", np.int64), checks)
    assert ran == "vector"
    assert "a shift of a value that is int32 or int64" in reason


def width_probe(a32, b64, flags, out, n):
    i = cuda.grid(1)
    if i < n:
        if flags[i] == 1:
            d = b64[i]
        else:
            d = a32[i]
        out[i] = (d + 1) // 2


def test_probe_shows_the_int32_run_divides_the_wrapped_number():
    """On the vector engine alone: INT32_MAX + 1 wraps before `// 2` where every lane took the
    int32 branch, not where some took the int64 one."""
    results = {}
    for flags in ("none", "some"):
        a32 = np.full(N, INT32_MAX, np.int32)
        out = np.zeros(N, np.int64)
        args = [a32, np.zeros(N, np.int64), FLAGS[flags].astype(np.int8), out, N]
        launch(width_probe, 2, 32, args, "vector")
        results[flags] = set(out[~FLAGS[flags].astype(bool)].tolist())
    assert results == {"none": {-(2**30)}, "some": {2**30}}
