"""Grid-stride loops jammed: `while i < n: ...; i += stride` counted when it starts, and
`for i in range(start, n, stride)` with a start per thread, give the vector engine's arrays
bit for bit and its reports; a `while` loop outside the counted shape runs as written."""

import inspect

import numpy as np
import pytest
from numba import float32

from cudalike import config, cuda
from cudalike.errors import KernelRuntimeError, OutOfBoundsError, RunawayKernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers

pytestmark = pytest.mark.slow


def while_stride_sum(x, out):
    # Harris's kernel 7 shape: the stride from the launch's dimensions, two loads per step.
    i = cuda.grid(1)
    acc = float32(0)
    while i < x.size:
        acc += x[i] * float32(0.5) + float32(1)
        i += cuda.gridsize(1)
    out[cuda.grid(1)] = acc
    out[cuda.grid(1) + out.size // 2] = float32(i)  # the counter after the loop


def while_stride_variable(x, out, limit):
    # A stride in a variable, a limit per thread (trip counts differ inside groups).
    tid = cuda.grid(1)
    stride = cuda.blockDim.x * cuda.gridDim.x
    i = tid
    acc = float32(0)
    if tid % 3 != 1:
        while i < limit - tid % 5:
            acc = acc * float32(0.75) + x[i]
            i += stride
    out[tid] = acc


def for_stride_dot(x, y, out):
    start = cuda.grid(1)
    acc = float32(0)
    for i in range(start, x.size, cuda.gridsize(1)):
        acc += x[i] * y[i]
    out[start] = acc


def for_stride_uneven(x, out, steps):
    # Steps differ between threads: groups whose steps differ run thread by thread.
    t = cuda.grid(1)
    acc = float32(0)
    for i in range(t % 7, x.size, steps[t]):
        acc = acc * float32(0.5) + x[i]
    out[t] = acc


def _source(kernel) -> str:
    return "".join(inspect.getsource(d.py_func) for d in launcher._drivers[kernel].values())


CASES = {
    "while stride": (
        while_stride_sum,
        (4, 64),
        lambda rng: [rng.random(5000, dtype=np.float32), np.zeros(512, np.float32)],
        "rt.while_trips",
    ),
    "while variable stride": (
        while_stride_variable,
        (3, 64),
        lambda rng: [rng.random(4000, dtype=np.float32), np.zeros(192, np.float32), 3990],
        "rt.while_trips",
    ),
    "for stride": (
        for_stride_dot,
        (4, 64),
        lambda rng: [
            rng.random(7001, dtype=np.float32),
            rng.random(7001, dtype=np.float32),
            np.zeros(256, np.float32),
        ],
        "rt.same_trips",
    ),
    "for uneven steps": (
        for_stride_uneven,
        (2, 64),
        lambda rng: [
            rng.random(3000, dtype=np.float32),
            np.zeros(128, np.float32),
            np.where(np.arange(128) < 70, 64, 1 + np.arange(128) % 9).astype(np.int64),
        ],
        "rt.same_trips",
    ),
}


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
@pytest.mark.parametrize("case", list(CASES))
def test_grid_stride_loops_are_jammed_and_match_the_vector_engine(case, checks):
    function, (grid, block), make, marker = CASES[case]
    kernel = cuda.jit(function)
    _, counts, _ = compare_tiers(kernel, grid, block, make, checks, Exception)
    assert counts.get("compiled") == 1
    assert marker in _source(kernel)


def counter_changed_in_body(x, out):
    i = cuda.grid(1)
    acc = float32(0)
    while i < x.size:
        acc += x[i]
        if x[i] > float32(0.5):
            i += 1  # the counter moves inside the body: not a counted loop
        i += cuda.gridsize(1)
    out[cuda.grid(1)] = acc


def limit_changed_in_body(x, out):
    i = cuda.grid(1)
    n = x.size
    acc = float32(0)
    while i < n:
        acc += x[i]
        n -= 1  # the limit moves: not a counted loop
        i += cuda.gridsize(1)
    out[cuda.grid(1)] = acc


def leaves_early(x, out):
    i = cuda.grid(1)
    acc = float32(0)
    while i < x.size:
        acc += x[i]
        if acc > float32(3):
            break
        i += cuda.gridsize(1)
    out[cuda.grid(1)] = acc


@pytest.mark.parametrize("function", [counter_changed_in_body, limit_changed_in_body, leaves_early])
def test_while_loops_outside_the_counted_shape_run_as_written(function):
    kernel = cuda.jit(function)

    def make(rng):
        return [rng.random(3000, dtype=np.float32), np.zeros(128, np.float32)]

    _, counts, _ = compare_tiers(kernel, 2, 64, make, False, Exception)
    assert counts.get("compiled") == 1
    assert "rt.while_trips" not in _source(kernel)


def while_with_step(x, out, step):
    i = cuda.grid(1)
    acc = float32(0)
    while i < x.size:
        acc += x[i % x.size]
        i += step
    out[cuda.grid(1)] = acc


@pytest.mark.parametrize("step", [0, -3], ids=["zero", "negative"])
def test_a_counted_loop_that_never_ends_is_reported_as_by_the_vector_engine(step):
    kernel = cuda.jit(while_with_step)

    def make(rng):
        return [np.ones(100, np.float32), np.zeros(64, np.float32), step]

    with config.override(loop_budget=2000):
        error, counts, _ = compare_tiers(kernel, 1, 64, make, False, RunawayKernelError)
    assert error is not None and counts.get("handed back") == 1
    assert "rt.while_trips" in _source(kernel)


def test_a_counted_loop_past_the_loop_budget_is_reported_as_by_the_vector_engine():
    kernel = cuda.jit(while_with_step)

    def make(rng):
        return [np.ones(100_000, np.float32), np.zeros(64, np.float32), 1]

    with config.override(loop_budget=5000):
        error, _, _ = compare_tiers(kernel, 1, 64, make, False, RunawayKernelError)
    assert error is not None


def while_past_the_end(x, out):
    i = cuda.grid(1)
    acc = float32(0)
    while i < x.size + 2:  # two elements too far
        acc += x[i]
        i += cuda.gridsize(1)
    out[cuda.grid(1)] = acc


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
def test_a_fault_in_a_counted_loop_is_reported_as_by_the_vector_engine(checks):
    kernel = cuda.jit(while_past_the_end)

    def make(rng):
        return [rng.random(1000, dtype=np.float32), np.zeros(64, np.float32)]

    catching = OutOfBoundsError if checks else KernelRuntimeError
    error, _, _ = compare_tiers(kernel, 1, 64, make, checks, catching)
    assert error is not None


def test_trip_counts_are_those_of_range():
    """rt.trip (a division, or none for at most one iteration) against len(range())."""
    from cudalike.simt.compiled import runtime as rt

    limits = [-(2**61), -9, -8, -7, -1, 0, 1, 2, 7, 8, 9, 2**61]
    steps = [-(2**62), -9, -8, -3, -1, 1, 2, 3, 8, 9, 2**62]
    for low in limits:
        for high in limits:
            for step in steps:
                assert rt.trip(low, high, step) == len(range(low, high, step)), (low, high, step)
