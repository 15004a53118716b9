"""cuda.random's xoroshiro128+ draws in compiled code: uniform and normal numbers, the raw bits,
draws inside expressions, byte for byte the vector engine's, the generators' states after the
launch too. Two threads drawing from one generator, and a state index outside the states, hand
the launch back (checks on and off); draws the compiled tier cannot evaluate once where the
vector engine does stay on the vector engine, saying why."""

import math

import numpy as np
import pytest

from cudalike import cuda
from cudalike.cuda.random import (
    create_xoroshiro128p_states,
    xoroshiro128p_normal_float32,
    xoroshiro128p_normal_float64,
    xoroshiro128p_uniform_float32,
    xoroshiro128p_uniform_float64,
)
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])


def monte_carlo_pi(states, iterations, out):
    i = cuda.grid(1)
    if i < out.size:
        inside = 0
        for _ in range(iterations):
            x = xoroshiro128p_uniform_float32(states, i)
            y = xoroshiro128p_uniform_float32(states, i)
            if x * x + y * y <= 1.0:
                inside += 1
        out[i] = 4.0 * inside / iterations


def pi_atomic(states, iterations, total):
    i = cuda.grid(1)
    hits = 0
    for _ in range(iterations):
        x = xoroshiro128p_uniform_float64(states, i)
        y = xoroshiro128p_uniform_float64(states, i)
        if x * x + y * y <= 1.0:
            hits += 1
    cuda.atomic.add(total, 0, hits)


def grid_stride_normals(states, out):
    i = cuda.grid(1)
    for j in range(i, out.shape[0], cuda.gridsize(1)):
        out[j, 0] = xoroshiro128p_normal_float32(states, i)
        out[j, 1] = xoroshiro128p_normal_float64(states, i)


def draws_in_expressions(states, out):
    i = cuda.grid(1)
    if i < out.shape[0]:
        out[i, 0] = 2 * xoroshiro128p_uniform_float32(states, i) - 1
        out[i, 1] = math.log(xoroshiro128p_uniform_float64(states, i)) + 0.5
        if xoroshiro128p_uniform_float32(states, i) < 0.5:
            out[i, 2] = xoroshiro128p_normal_float32(states, i) * xoroshiro128p_normal_float64(
                states, i
            )
        out[i, 3] += xoroshiro128p_uniform_float64(states, i)
        out[i, 4] = max(xoroshiro128p_uniform_float32(states, i), out[i, 0])


def raw_bits(states, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = cuda.random.xoroshiro128p_next(states, i) ^ 5


@cuda.jit(device=True)
def draw(states, i):
    return xoroshiro128p_uniform_float32(states, i)


def through_a_device_function(states, out):
    i = cuda.grid(1)
    if i < out.size:
        first = draw(states, i)
        second = draw(states, i)
        out[i] = first - second


def shared_generator(states, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = xoroshiro128p_uniform_float32(states, i // 2)


def index_past_the_end(states, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = xoroshiro128p_uniform_float32(states, i + 3)


def short_circuit(states, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = out[i] > 0 and xoroshiro128p_uniform_float32(states, i) > 0.5


def draw_in_a_range(states, out):
    i = cuda.grid(1)
    if i < out.size:
        for _ in range(int(10 * xoroshiro128p_uniform_float32(states, i))):
            out[i] += 1


def _compare(function, make, checks, griddim=2, blockdim=64):
    """Launch on each tier from the same arguments (`make()`); assert identical arrays (states
    included) and errors; (the error or None, the compiled tier's launch outcomes)."""
    kernel = cuda.jit(function)
    error, counts, _ = compare_tiers(
        kernel, griddim, blockdim, lambda rng: make(), checks, KernelError
    )
    return error, counts


def _states(n, seed=7):
    return create_xoroshiro128p_states(n, seed=seed)


COMPILED = [
    (monte_carlo_pi, lambda: [_states(128), 40, np.zeros(100, np.float32)]),
    (pi_atomic, lambda: [_states(128), 30, np.zeros(1, np.int64)]),
    (grid_stride_normals, lambda: [_states(128), np.zeros((300, 2))]),
    (draws_in_expressions, lambda: [_states(128), np.zeros((100, 5), np.float32)]),
    (raw_bits, lambda: [_states(128), np.zeros(100, np.uint64)]),
    (through_a_device_function, lambda: [_states(128), np.zeros(100, np.float32)]),
]


@CHECKS
@pytest.mark.parametrize("function,make", COMPILED, ids=[f.__name__ for f, _ in COMPILED])
def test_draws_run_compiled(function, make, checks):
    error, counts = _compare(function, make, checks)
    assert error is None
    assert counts.get("compiled", 0) == 1, launcher.reasons.get(function.__name__)


@CHECKS
def test_normals_meet_numpys_loops_on_many_draws(checks):
    make = lambda: [_states(256, seed=3), np.zeros((256 * 40, 2))]  # noqa: E731
    error, counts = _compare(grid_stride_normals, make, checks, griddim=4)
    assert error is None and counts["compiled"] == 1


@CHECKS
def test_two_threads_on_one_generator_are_handed_back(checks):
    make = lambda: [_states(64), np.zeros(100, np.float32)]  # noqa: E731
    error, counts = _compare(shared_generator, make, checks)
    assert error is None and counts["handed back"] == 1


@CHECKS
def test_a_state_index_past_the_end_is_handed_back(checks):
    make = lambda: [_states(100), np.zeros(100, np.float32)]  # noqa: E731
    error, counts = _compare(index_past_the_end, make, checks)
    assert error is not None and counts["handed back"] == 1


@CHECKS
@pytest.mark.parametrize(
    "function,reason",
    [
        (short_circuit, "a random draw that a short-circuit may skip"),
        (draw_in_a_range, "a random draw in a loop's condition or range"),
    ],
)
def test_draws_not_evaluated_once_stay_on_the_vector_engine(function, reason, checks):
    make = lambda: [_states(128), np.zeros(100, np.float32)]  # noqa: E731
    error, counts = _compare(function, make, checks)
    assert error is None and counts.get("compiled", 0) == 0
    assert reason in launcher.reasons.get(function.__name__, "")
