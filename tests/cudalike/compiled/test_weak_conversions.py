"""A variable that starts as a Python float and is set to float values only on some paths,
read through `int()` (CUDA by Example's ray tracer: `r = 0.0`, `int(r * 255)` stored to a byte)
or compared in its own float type (k-means' `best_d = 1e30`, `if d < best_d`): both tiers give
the same bytes, whichever of the vector engine's runs (a Python number where no lane of the
chunk set it, an array elsewhere) happens; where those runs could differ, the kernel stays on
the vector engine."""

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
# How many of the 128 lanes take the branch: none, some, all (one chunk of two blocks).
TAKEN = pytest.mark.parametrize("taken", [0, 37, 128])


def shaded(a, out):
    i = cuda.grid(1)
    if i < a.size:
        r = 0.0
        if a[i] > 0:
            r = a[i] * 0.5
        out[i] = int(r * 255)


def nearest(a, centres, out):
    i = cuda.grid(1)
    if i < a.size:
        best = 0
        best_d = 1e30
        for c in range(centres.size):
            d = (a[i] - centres[c]) * (a[i] - centres[c])
            if d < best_d:
                best_d = d
                best = c
        out[i] = best


def scaled_start(a, out):
    """`best * 3.0` is 0.8999999999999999 from the Python number, 0.90000004 in float32."""
    i = cuda.grid(1)
    if i < a.size:
        best = 0.3
        if a[i] > 1.5:
            best = a[i]
        if a[i] < best * 3.0:
            out[i] = 1


def truncated_start(a, out):
    """`int(r * 100)` is 28 from the Python number 0.29, 29 from float32's 0.29."""
    i = cuda.grid(1)
    if i < a.size:
        r = 0.29
        if a[i] > 1.5:
            r = a[i]
        out[i] = int(r * 100)


def _values(taken: int, low: float, high: float):
    def make(rng):
        a = rng.uniform(low, high, 128).astype(np.float32)
        a[:taken] = rng.uniform(high, high + 1, taken).astype(np.float32)
        return a

    return make


@CHECKS
@TAKEN
def test_int_of_a_python_float_start_runs_compiled(checks, taken):
    values = _values(taken, -1.0, 0.0)
    error, counts, _ = compare_tiers(
        cuda.jit(shaded), 2, 64, lambda r: [values(r), np.zeros(128, np.uint8)], checks, KernelError
    )
    assert error is None and counts.get("compiled") == 1, launcher.reasons.get("shaded")


@CHECKS
@pytest.mark.parametrize("centres", [0, 3])
def test_a_large_start_compared_in_float32_runs_compiled(checks, centres):
    def make(rng):
        a = rng.standard_normal(128).astype(np.float32)
        a[::9] = np.float32(1e30)  # compared with the start where no centre is nearer
        return [a, rng.standard_normal(centres).astype(np.float32), np.zeros(128, np.int32)]

    error, counts, _ = compare_tiers(cuda.jit(nearest), 2, 64, make, checks, KernelError)
    assert error is None and counts.get("compiled") == 1, launcher.reasons.get("nearest")


@CHECKS
@pytest.mark.parametrize("function", [scaled_start, truncated_start])
def test_a_start_whose_runs_differ_stays_on_the_vector_engine(checks, function):
    values = _values(37, 0.0, 1.0)
    error, counts, _ = compare_tiers(
        cuda.jit(function),
        2,
        64,
        lambda r: [values(r), np.zeros(128, np.int32)],
        checks,
        KernelError,
    )
    assert error is None and counts.get("compiled", 0) == 0
    assert "may still hold the Python number" in launcher.reasons[function.__name__]
