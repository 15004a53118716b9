"""Loops inside device functions on the compiled tier: the vector engine's results bit for bit,
and its loop and time budget reports."""

import numpy as np
import pytest

from cudalike import config, cuda
from cudalike.errors import RunawayKernelError
from cudalike.simt.compiled import launcher

pytestmark = pytest.mark.slow


@cuda.jit(device=True)
def escape_time(cr, ci, limit):
    """Iterations before z -> z*z + c leaves the circle of radius 2 (a return in a loop)."""
    zr = 0.0
    zi = 0.0
    for i in range(limit):
        if zr * zr + zi * zi > 4.0:
            return i
        zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
    return limit


@cuda.jit(device=True)
def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
        if steps > 500:
            break
    return steps


@cuda.jit(device=True)
def endless(x):
    while x >= 0:
        x = x + 1
    return x


def mandelbrot(xs, ys, out, limit):
    col, row = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        out[row, col] = escape_time(xs[col], ys[row], limit)


def collatz(starts, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = collatz_steps(starts[i])


def never_ends(out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = endless(i)


def _both(function, griddim, blockdim, make, checks):
    results = []
    for tier in ("vector", "compiled"):
        args = make()
        before = launcher.outcomes["compiled"]
        with config.override(tier=tier, checks=checks):
            cuda.jit(function)[griddim, blockdim](*args)
        results.append((args, launcher.outcomes["compiled"] - before))
    (vector, _), (compiled, runs) = results
    assert runs == 1, launcher.reasons.get(function.__name__)
    assert all(np.array_equal(v, c) for v, c in zip(vector, compiled, strict=True))


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
def test_a_device_function_with_a_for_loop_and_early_returns(checks):
    xs = np.linspace(-2.0, 0.6, 70).astype(np.float32)
    ys = np.linspace(-1.2, 1.2, 50).astype(np.float32)
    _both(mandelbrot, (3, 4), (32, 16), lambda: [xs, ys, np.zeros((50, 70), np.int32), 60], checks)


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
def test_a_device_function_with_a_while_loop_and_break(checks):
    starts = np.arange(1, 300, dtype=np.int64)
    _both(collatz, 3, 128, lambda: [starts, np.zeros(299, np.int64)], checks)


def test_an_endless_loop_in_a_device_function_gets_the_vector_engines_report():
    reports = []
    for tier in ("vector", "compiled"):
        with config.override(tier=tier, loop_budget=10_000, time_budget_s=5):
            with pytest.raises(RunawayKernelError) as error:
                cuda.jit(never_ends)[1, 32](np.zeros(32, np.int64))
        reports.append(str(error.value))
    assert reports[0] == reports[1]
