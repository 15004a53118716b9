"""Integers that are int32 in some runs of the vector engine and int64 in others (widths.py): a
variable assigned int64 in one branch and int32 in the other, and an int32 meeting a Python int
that is merged into an int64 array in some runs. Stores and casts to 32 bits or fewer run
compiled whatever wrapped; comparisons, `min`/`max`, indices, wider stores and floats run
compiled where the number fits int32 and are handed back where it does not; other reads keep
the kernel on the vector engine. Every run (a branch taken by every lane of the chunk, by none,
by some; values at the int32 limits) gives identical arrays on both tiers, checks on and off."""

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
REASON = "int32 or int64 depending on the run"


def branch_stores(a32, b64, flags, lut, out32, out8, picked, n):
    """`d` is int64 where a lane took the first branch, int32 where every lane took the second:
    wrapping arithmetic stored to int32 and uint8 arrays, and a masked index."""
    i = cuda.grid(1)
    if i >= n:
        return
    if flags[i] == 1:
        d = b64[i] - 1
    else:
        d = a32[i] + 7
    out32[i] = d * 3 + 5
    out8[i] = -d ^ 0x5A
    picked[i] = lut[d & 63]


def branch_checked(a32, b64, flags, above, biggest, wide, halves, n):
    """The same `d` compared, in `max`, stored to an int64 array and multiplied by a float."""
    i = cuda.grid(1)
    if i >= n:
        return
    if flags[i] == 1:
        d = b64[i] - 1
    else:
        d = a32[i] + 7
    above[i] = d + 10 > 0
    biggest[i] = max(d, a32[i])
    wide[i] = d + 1
    halves[i] = d * 0.5


def maybe_stores(a32, flags, out32, n):
    """An int32 plus a Python int, merged into an int64 array where the lanes differ (a choice
    `5 if flags[i] == 1 else -3` would be an int64 array always: numpy's `where`)."""
    i = cuda.grid(1)
    if i >= n:
        return
    m = -3
    if flags[i] == 1:
        m = 5
    v = a32[i] + m
    out32[i] = v - 1


def maybe_checked(a32, flags, out32, n):
    """The same sum in `max` and compared, as Needleman-Wunsch scores it."""
    i = cuda.grid(1)
    if i >= n:
        return
    m = -3
    if flags[i] == 1:
        m = 5
    best = a32[i] + m
    best = max(best, a32[i] - 2)
    if best > a32[i]:
        best = best + 1
    out32[i] = best


def _args(a32_start: int, b64_start: int, flags: str, *outputs):
    def make_args(rng):
        a32 = (a32_start + np.arange(N)).astype(np.int32)
        b64 = (b64_start + np.arange(N)).astype(np.int64)
        lut = rng.integers(0, 100, 64).astype(np.int32)
        made = [np.zeros(N, dtype) for dtype in outputs]
        return [a32, b64, FLAGS[flags].astype(np.int8), lut, *made, N]

    return make_args


def _drop_lut(make_args):
    def without(rng):
        args = make_args(rng)
        return args[:3] + args[4:]

    return without


def _maybe_args(a32_start: int, flags: str):
    def make_args(rng):
        a32 = (a32_start + np.arange(N) % 8).astype(np.int32)
        return [a32, FLAGS[flags].astype(np.int8), np.zeros(N, np.int32), N]

    return make_args


def _compare(function, make_args, checks):
    error, counts, _ = compare_tiers(cuda.jit(function), 2, 32, make_args, checks, KernelError)
    assert error is None
    return how_it_ran(counts), launcher.reasons.get(function.__name__)


@CHECKS
@pytest.mark.parametrize("flags", sorted(FLAGS))
@pytest.mark.parametrize("start", [-5, INT32_MAX - 40, INT32_MIN + 3], ids=["small", "max", "min"])
def test_modular_reads_run_compiled_whatever_wraps(flags, start, checks):
    make_args = _args(start, 2**40 + start, flags, np.int32, np.uint8, np.int32)
    ran, reason = _compare(branch_stores, make_args, checks)
    assert ran == "compiled", reason


@CHECKS
@pytest.mark.parametrize("flags", sorted(FLAGS))
def test_checked_reads_run_compiled_where_the_number_fits(flags, checks):
    make_args = _drop_lut(_args(-30, 1000, flags, np.bool_, np.int64, np.int64, np.float64))
    ran, reason = _compare(branch_checked, make_args, checks)
    assert ran == "compiled", reason


@CHECKS
@pytest.mark.parametrize(
    ("flags", "a32", "b64"),
    [("none", INT32_MAX - 40, 0), ("all", 0, 2**40), ("some", INT32_MAX - 40, 5)],
)
def test_checked_reads_past_int32_are_handed_back(flags, a32, b64, checks):
    make_args = _drop_lut(_args(a32, b64, flags, np.bool_, np.int64, np.int64, np.float64))
    ran, _ = _compare(branch_checked, make_args, checks)
    assert ran == "handed back"


@CHECKS
@pytest.mark.parametrize("flags", sorted(FLAGS))
@pytest.mark.parametrize("start", [-5, INT32_MAX - 7, INT32_MIN], ids=["small", "max", "min"])
def test_int32_plus_maybe_python_int_stored_runs_compiled(flags, start, checks):
    ran, reason = _compare(maybe_stores, _maybe_args(start, flags), checks)
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
        ("none", INT32_MIN, "handed back"),
        ("some", INT32_MIN, "handed back"),
    ],
)
def test_int32_plus_maybe_python_int_in_max(flags, start, expected, checks):
    ran, reason = _compare(maybe_checked, _maybe_args(start, flags), checks)
    assert ran == expected, reason


def truth(a32, b64, flags, out, n):
    i = cuda.grid(1)
    if i < n:
        if flags[i] == 1:
            d = b64[i]
        else:
            d = a32[i]
        if d:
            out[i] = 1


def atomic(a32, b64, flags, out, n):
    i = cuda.grid(1)
    if i < n:
        if flags[i] == 1:
            d = b64[i]
        else:
            d = a32[i]
        cuda.atomic.add(out, 0, d)


def squared(a32, b64, flags, out, n):
    i = cuda.grid(1)
    if i < n:
        if flags[i] == 1:
            d = b64[i]
        else:
            d = a32[i]
        out[i] = d**2


@CHECKS
@pytest.mark.parametrize("function", [truth, atomic, squared])
def test_reads_whose_width_matters_stay_on_the_vector_engine(function, checks):
    def make_args(rng):
        a32 = (INT32_MAX - 40 + np.arange(N)).astype(np.int32)
        b64 = np.arange(N, dtype=np.int64)
        return [a32, b64, FLAGS["some"].astype(np.int8), np.zeros(N, np.int64), N]

    ran, reason = _compare(function, make_args, checks)
    assert ran == "vector"
    assert "int32 or int64" in reason


def width_probe(a32, b64, flags, out, n):
    i = cuda.grid(1)
    if i < n:
        if flags[i] == 1:
            d = b64[i]
        else:
            d = a32[i]
        out[i] = d + 1 > 0


def test_probe_shows_the_runs_give_int32_and_int64():
    """On the vector engine alone: INT32_MAX + 1 wraps where every lane took the int32 branch,
    not where some took the int64 one."""
    results = {}
    for flags in ("none", "some"):
        a32 = np.full(N, INT32_MAX, np.int32)
        out = np.zeros(N, np.bool_)
        args = [a32, np.zeros(N, np.int64), FLAGS[flags].astype(np.int8), out, N]
        launch(width_probe, 2, 32, args, "vector")
        results[flags] = out[~FLAGS[flags].astype(bool)]
    assert not results["none"].any() and results["some"].all()


@cuda.jit(device=True)
def device_truth(x, y, pick):
    if pick:
        d = x
    else:
        d = y
    if d:
        return 1
    return 0


def calls_device_truth(a32, b64, flags, out, n):
    i = cuda.grid(1)
    if i < n:
        out[i] = device_truth(b64[i], a32[i], flags[i] == 1)


@CHECKS
def test_a_device_function_reading_the_width_stays_on_the_vector_engine(checks):
    def make_args(rng):
        flags = FLAGS["some"].astype(np.int8)
        return [np.zeros(N, np.int32), np.arange(N, dtype=np.int64), flags, np.zeros(N), N]

    ran, reason = _compare(calls_device_truth, make_args, checks)
    assert ran == "vector"
    assert "int32 or int64" in reason
