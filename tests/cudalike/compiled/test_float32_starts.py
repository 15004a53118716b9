"""A variable started at `float32(number)` and then assigned float64 values is float32 on the
vector engine until the first float64 assignment and float64 after it; compiled code holds it in
float64 throughout where each read gives one result from either (float64 arithmetic, a
comparison with a numpy value, a store), and leaves the others to the vector engine."""

import numpy as np
import pytest
from numba import float32

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers, how_it_ran

pytestmark = pytest.mark.slow


def row_sums(x, counts, scale, out):
    """Per-lane trip counts (some zero): the start reaches the store on some lanes."""
    i = cuda.grid(1)
    if i < x.shape[0]:
        total = float32(0.5)
        for k in range(counts[i]):
            total += x[i, k]
        if total > scale[i]:
            total = total * scale[i]
        out[i] = total


def masked_update(x, scale, out):
    i = cuda.grid(1)
    if i < x.shape[0]:
        best = float32(-1)
        if x[i, 0] > 0.25:
            best = x[i, 1] - 3.0
        out[i] = scale[i] + best


def float32_update(x, y, out):
    i = cuda.grid(1)
    if i < x.shape[0]:
        total = float32(0)
        total += y[i]  # float32 arithmetic while total is still its float32 start
        total += x[i, 0]
        out[i] = total


def widened_then_float32(x, y, out):
    i = cuda.grid(1)
    if i < x.shape[0]:
        total = float32(0)
        for k in range(3):
            total += x[i, 0] * k  # float64: certainly float64 after the loop
        total /= y[i]
        total += y[i]
        out[i] = total


def python_float_read(x, out):
    i = cuda.grid(1)
    if i < x.shape[0]:
        total = float32(0)
        for k in range(x.shape[1]):
            total += x[i, k]
        out[i] = total * 0.1  # 0.1 in float32 on a float32 start, in float64 after


def _args(rng):
    x = rng.random((50, 6)) * 1e-3 + 1.0  # float64: float32 would round these sums
    counts = rng.integers(0, 7, 50).astype(np.int32)
    return [x, counts, rng.random(50) * 4.0, np.zeros(50, np.float64)]


def _masked_args(rng):
    return [rng.random((50, 2)), rng.random(50), np.zeros(50, np.float64)]


def _float32_args(rng):
    return [rng.random((50, 1)), rng.random(50).astype(np.float32), np.zeros(50, np.float64)]


def _read_args(rng):
    return [rng.random((50, 3)), np.zeros(50, np.float64)]


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize(
    "function, make",
    [(row_sums, _args), (masked_update, _masked_args), (widened_then_float32, _float32_args)],
    ids=["sums", "masked", "widened-first"],
)
def test_a_float32_start_widened_to_float64_gives_the_vector_engines_bits(function, make, checks):
    error, counts, _ = compare_tiers(cuda.jit(function), 2, 32, make, checks, KernelError)
    assert error is None
    assert how_it_ran(counts) == "compiled", launcher.reasons.get(function.__name__)


@pytest.mark.parametrize(
    "function, make, verb",
    [(float32_update, _float32_args, "assigns"), (python_float_read, _read_args, "reads")],
    ids=["float32-update", "python-float-read"],
)
def test_a_use_that_float32_and_float64_answer_differently_stays_on_the_vector_engine(
    function, make, verb
):
    error, counts, _ = compare_tiers(cuda.jit(function), 2, 32, make, True, KernelError)
    assert error is None
    assert how_it_ran(counts) == "vector"
    assert "starts as float32 and is then float64: line" in launcher.reasons[function.__name__]
    assert verb in launcher.reasons[function.__name__]
