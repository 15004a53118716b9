"""Warp calls inside expressions on the compiled tier: moved into a variable of their own
before their statement, they give the vector engine's arrays and reports; where the move could
change what is evaluated or the order of effects, the kernel stays on the vector engine."""

import ast

import numpy as np
import pytest
from numba import float32, int32

from cudalike import cuda
from cudalike.errors import KernelError, OutOfBoundsError
from cudalike.simt import frontend
from cudalike.simt.compiled import hoist, launcher
from tests.cudalike.compiled.tiers import compare_tiers

pytestmark = pytest.mark.slow

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
FULL = 0xFFFFFFFF


def _both_tiers(function, griddim, blockdim, make_args, checks):
    """(arrays equal on both tiers, runs compiled, runs handed back, the two errors)."""
    error, counts, _ = compare_tiers(
        cuda.jit(function), griddim, blockdim, make_args, checks, KernelError, seed=11
    )
    return counts.get("compiled", 0), counts.get("handed back", 0), error


def _floats(n):
    return lambda rng: [rng.standard_normal(n).astype(np.float32), np.zeros(n, np.float32)]


# ---- moved -------------------------------------------------------------------------------
def max_butterfly(x, out):
    i = cuda.grid(1)
    m = x[i]
    off = 16
    while off > 0:
        m = max(m, cuda.shfl_down_sync(FULL, m, off))
        off //= 2
    out[i] = m


def scaled_sum(x, out):
    i = cuda.grid(1)
    s = x[i]
    for k in range(3):
        s += float32(0.5) * cuda.shfl_xor_sync(FULL, s, 1 << k)
    out[i] = s - cuda.shfl_sync(FULL, s, 0) * 2


def vote_in_conditions(x, out):
    i = cuda.grid(1)
    v = x[i]
    if cuda.ballot_sync(FULL, v > 0) & 1 != 0:
        v = -v
    elif cuda.any_sync(FULL, v > 1.0) == 1:
        v = v * 2
    out[i] = v + cuda.all_sync(FULL, v < 3.0)


def nested_and_paired(x, out):
    i = cuda.grid(1)
    v = x[i]
    u = cuda.shfl_down_sync(FULL, cuda.shfl_up_sync(FULL, v, 3), 1) + cuda.shfl_sync(
        FULL, v * 2, i % 7
    )
    out[min(i, cuda.shfl_sync(FULL, i, 31))] = u - abs(cuda.shfl_xor_sync(FULL, u, 5))


def into_an_atomic(x, out):
    i = cuda.grid(1)
    v = x[i]
    cuda.atomic.add(out, i % 4, cuda.shfl_down_sync(FULL, v, 1) * 0)
    out[4 + i] = v


def warp_tail(x, out):
    """Only the first warp of each block shuffles, under a condition the same in each warp."""
    i = cuda.grid(1)
    t = cuda.threadIdx.x
    s = cuda.shared.array(64, float32)
    s[t] = x[i]
    cuda.syncthreads()
    if t < 32:
        v = s[t] + s[t + 32]
        v = v + cuda.shfl_down_sync(FULL, v, 16) + cuda.shfl_down_sync(FULL, v, 8)
        out[i] = v


@CHECKS
@pytest.mark.parametrize(
    "function, size, make_args",
    [
        (max_butterfly, 160, _floats(160)),
        (scaled_sum, 160, _floats(160)),
        (vote_in_conditions, 160, _floats(160)),
        (warp_tail, 128, _floats(128)),
        (
            nested_and_paired,
            160,
            lambda rng: [rng.standard_normal(160).astype(np.float32), np.zeros(160, np.float32)],
        ),
        (
            into_an_atomic,
            128,
            lambda rng: [rng.standard_normal(128).astype(np.float32), np.zeros(132, np.float32)],
        ),
    ],
)
def test_warp_calls_inside_expressions_run_compiled(function, size, make_args, checks):
    blockdim = 64 if function is warp_tail else 80  # 80: a partial last warp in each block
    ran, handed_back, error = _both_tiers(function, size // blockdim, blockdim, make_args, checks)
    assert error is None
    assert (ran, handed_back) == (1, 0), launcher.reasons.get(function.__name__)


def test_a_moved_call_keeps_its_statements_line():
    parsed = frontend.parse(max_butterfly)
    moved = hoist.hoist_calls(parsed, frontend.Resolver(max_butterfly, parsed))
    loop = next(s for s in moved.tree.body if isinstance(s, ast.While))
    assignment, statement = loop.body[0], loop.body[1]
    assert ast.unparse(assignment) == "warp1 = cuda.shfl_down_sync(FULL, m, off)"
    assert ast.unparse(statement) == "m = max(m, warp1)"
    assert assignment.lineno == statement.lineno == loop.body[1].lineno
    assert "max(m, cuda.shfl_down_sync" in parsed.source_line(assignment.lineno)


def test_a_fresh_name_never_meets_the_kernels_own():
    def uses_warp1(x, out):
        i = cuda.grid(1)
        warp1 = x[i]
        out[i] = 2 * cuda.shfl_sync(FULL, warp1, 0)

    parsed = frontend.parse(uses_warp1)
    moved = hoist.hoist_calls(parsed, frontend.Resolver(uses_warp1, parsed))
    assert ast.unparse(moved.tree.body[-2]).startswith("warp2 = ")
    ran, _, _ = _both_tiers(uses_warp1, 2, 64, _floats(128), True)
    assert ran == 1, launcher.reasons.get("uses_warp1")


# ---- reports -----------------------------------------------------------------------------
def read_past_the_end(x, out):
    i = cuda.grid(1)
    v = x[i]
    out[i] = x[i + 1] + 2 * cuda.shfl_down_sync(FULL, v, 1)


def shuffle_past_the_end(x, out):
    i = cuda.grid(1)
    out[i] = 1 + cuda.shfl_down_sync(FULL, x[i + 1], 1)


@CHECKS
@pytest.mark.parametrize("function", [read_past_the_end, shuffle_past_the_end])
def test_a_bounds_error_beside_a_moved_call_gets_the_vector_engines_report(function, checks):
    ran, handed_back, error = _both_tiers(function, 2, 64, _floats(128), checks)
    assert "cuda.shfl_down_sync" in str(error)  # the line of the original statement
    if checks:
        assert isinstance(error, OutOfBoundsError)
        assert "thread (63, 0, 0)" in str(error) and "block (1, 0, 0)" in str(error)
    assert (ran, handed_back) == (0, 1)


# ---- left to the vector engine -----------------------------------------------------------
def under_and(x, out):
    i = cuda.grid(1)
    v = x[i]
    out[i] = v > 0 and cuda.shfl_sync(FULL, v, 0) > 0


def in_a_conditional_expression(x, out):
    i = cuda.grid(1)
    v = x[i]
    out[i] = cuda.shfl_sync(FULL, v, 1) if v > 0 else v


def after_an_atomic(x, out):
    i = cuda.grid(1)
    v = x[i]
    out[i] = cuda.atomic.add(out, 0, 1) + cuda.shfl_sync(FULL, v, 1)


def in_a_chained_comparison(x, out):
    i = cuda.grid(1)
    v = x[i]
    out[i] = 0 < v < cuda.shfl_sync(FULL, v, 1)


def in_a_loop_condition(x, out):
    i = cuda.grid(1)
    v = int32(x[i])
    while cuda.any_sync(FULL, v > 0) != 0:
        v -= 1
    out[i] = v


@pytest.mark.parametrize(
    "function, reason",
    [
        (under_and, "short-circuit"),
        (in_a_conditional_expression, "short-circuit"),
        (in_a_chained_comparison, "short-circuit"),
        (after_an_atomic, "after a call with an effect"),
        (in_a_loop_condition, "loop's condition"),
    ],
)
def test_warp_calls_that_cannot_move_stay_on_the_vector_engine(function, reason):
    def make_args(rng):
        return [rng.integers(-2, 3, 128).astype(np.float32), np.zeros(128, np.float32)]

    ran, handed_back, error = _both_tiers(function, 2, 64, make_args, True)
    assert (ran, handed_back, error) == (0, 0, None)
    assert reason in launcher.reasons[function.__name__]


# ---- cuda.activemask ---------------------------------------------------------------------
def active_lanes(x, out):
    i = cuda.grid(1)
    m = cuda.activemask()
    if cuda.threadIdx.x // 32 == 1:  # the same within each warp
        m += cuda.activemask() & 7
    else:
        m ^= cuda.activemask() >> 3
    if cuda.activemask() == FULL:
        m += 1
    out[i] = m


def half_warp_active_lanes(x, out):
    i = cuda.grid(1)
    m = 0
    if cuda.laneid < 16:  # divides every warp: the lanes of the branch
        m = cuda.activemask()
    out[i] = m


def _masks(rng):
    return [np.zeros(240, np.float32), np.zeros(240, np.int64)]


@CHECKS
def test_activemask_names_the_lanes_of_the_warp_running_it(checks):
    ran, handed_back, error = _both_tiers(active_lanes, 3, 80, _masks, checks)
    assert (ran, handed_back, error) == (1, 0, None), launcher.reasons.get("active_lanes")


def test_activemask_under_a_branch_dividing_a_warp_runs_compiled():
    assert _both_tiers(half_warp_active_lanes, 3, 80, _masks, True)[:2] == (1, 0)
