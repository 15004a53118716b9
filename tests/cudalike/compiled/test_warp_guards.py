"""Kernels with warp functions after leading `if ...: return` guards on the compiled tier: they
run compiled with the vector engine's arrays, the lanes that stay running the rest as a branch
(a shuffle from a lane that left is handed back); a lane's guard in a kernel with block
barriers, and other returns, keep the kernel on the vector engine."""

import ast

import numpy as np
import pytest
from numba import float32

from cudalike import config, cuda
from cudalike.simt import frontend
from cudalike.simt.compiled import guards, launcher

pytestmark = pytest.mark.slow

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
FULL = 0xFFFFFFFF


def _both_tiers(function, griddim, blockdim, make_args, checks=True):
    """(runs compiled, runs handed back) after checking both tiers give the same arrays."""
    kernel = cuda.jit(function)
    runs = []
    for tier in ("vector", "compiled"):
        args = make_args(np.random.default_rng(8))
        before = dict(launcher.outcomes)
        with config.override(tier=tier, checks=checks):
            kernel[griddim, blockdim](*args)
        counts = {k: launcher.outcomes[k] - before.get(k, 0) for k in ("compiled", "handed back")}
        runs.append((args, counts))
    (vector, _), (compiled, counts) = runs
    for left, right in zip(vector, compiled, strict=True):
        if isinstance(left, np.ndarray):
            np.testing.assert_array_equal(left, right)
    return counts["compiled"], counts["handed back"]


def rows_per_warp(x, out):
    """One warp per row: the warps past the last row leave whole."""
    row = cuda.grid(1) // 32
    lane = cuda.laneid
    if row >= x.shape[0]:
        return
    m = float32(-1e30)
    for j in range(lane, x.shape[1], 32):
        m = max(m, x[row, j])
    off = 16
    while off > 0:
        m = max(m, cuda.shfl_down_sync(FULL, m, off))
        off //= 2
    m = cuda.shfl_sync(FULL, m, 0)
    s = float32(0)
    for j in range(lane, x.shape[1], 32):
        s += x[row, j] - m
    off = 16
    while off > 0:
        s += cuda.shfl_xor_sync(FULL, s, off)
        off //= 2
    for j in range(lane, x.shape[1], 32):
        out[row, j] = (x[row, j] - m) / s


def _rows(rng):
    return [rng.random((10, 100), dtype=np.float32), np.zeros((10, 100), np.float32)]


@CHECKS
def test_warps_leaving_whole_at_a_guard_run_compiled(checks):
    ran = _both_tiers(rows_per_warp, 3, 128, _rows, checks)
    assert ran == (1, 0), launcher.reasons.get("rows_per_warp")


def two_guards(x, flags, out):
    i = cuda.grid(1)
    w = i // 32
    if w >= x.size // 32:
        flags[i - x.size] = w  # statements before the return stay in the branch
        return
    v = x[i]
    if cuda.blockIdx.x >= 3:  # the last block leaves whole
        return
    out[i] = v + cuda.shfl_down_sync(FULL, v, 1) * cuda.ballot_sync(FULL, v > 0.5)


def _two_guards_args(n):
    return lambda rng: [
        rng.random(n, dtype=np.float32),
        np.zeros(256 - n, np.int32),
        np.zeros(n, np.float32),
    ]


@CHECKS
def test_several_guards_with_statements_before_their_return_run_compiled(checks):
    ran = _both_tiers(two_guards, 4, 64, _two_guards_args(224), checks)
    assert ran == (1, 0), launcher.reasons.get("two_guards")


def warps_past_a_limit(x, limit, out):
    i = cuda.grid(1)
    if i // 32 >= limit:  # meant for whole warps: each warp of 32 threads leaves whole
        return
    v = x[i]
    out[i] = v + cuda.shfl_down_sync(FULL, v, 1)


def _limit_args(rng):
    return [rng.random(128, dtype=np.float32), 2, np.zeros(128, np.float32)]


def test_a_warp_guard_dividing_a_warp_is_handed_back():
    assert _both_tiers(warps_past_a_limit, 2, 64, _limit_args) == (1, 0)
    # in blocks of 48 threads, the first warp of block 1 holds threads 48 to 79: 63 // 32 is 1
    # (stays) and 64 // 32 is 2 (leaves)
    assert _both_tiers(warps_past_a_limit, 2, 48, _limit_args) == (0, 1)


def past_the_end(x, out):
    i = cuda.grid(1)
    if i >= x.size:  # a lane's guard: it divides the last warp unless x.size is a multiple of 32
        return
    v = x[i]
    out[i] = v + cuda.shfl_down_sync(FULL, v, 1)


def past_the_end_with_a_barrier(x, out):
    i = cuda.grid(1)
    if i >= x.size:
        return
    v = x[i]
    cuda.syncthreads()
    out[i] = v + cuda.shfl_down_sync(FULL, v, 1)


def _flat_args(size):
    def make_args(rng):
        return [rng.random(size, dtype=np.float32) * 2, np.zeros(size, np.float32)]

    return make_args


@CHECKS
def test_a_lanes_guard_runs_the_rest_as_a_branch(checks):
    assert _both_tiers(past_the_end, 2, 64, _flat_args(128), checks) == (1, 0)
    # 100 elements: lane 99 shuffles down from lane 100, which left: handed back
    assert _both_tiers(past_the_end, 2, 64, _flat_args(100), checks) == (0, 1)


def return_after_a_shuffle(x, out):
    i = cuda.grid(1)
    v = x[i]
    v += cuda.shfl_down_sync(FULL, v, 1)
    if v > 1:
        return
    out[i] = v


def return_in_a_loop(x, out):
    i = cuda.grid(1)
    for k in range(2):
        if x[i] > k:
            return
    out[i] = cuda.shfl_down_sync(FULL, x[i], 1)


@pytest.mark.parametrize(
    "function", [past_the_end_with_a_barrier, return_after_a_shuffle, return_in_a_loop]
)
def test_other_returns_keep_warp_functions_on_the_vector_engine(function):
    assert _both_tiers(function, 2, 64, _flat_args(128)) == (0, 0)
    assert launcher.reasons[function.__name__]


def test_a_guard_becomes_an_if_else_around_the_rest():
    parsed = frontend.parse(two_guards)
    rewritten = guards.else_for_guards(parsed, frontend.Resolver(two_guards, parsed)).tree
    first = rewritten.body[-1]
    assert isinstance(first, ast.If) and ast.unparse(first.body) == "flags[i - x.size] = w"
    second = first.orelse[-1]
    assert isinstance(second.body[0], ast.Pass) and second.body[0].lineno == second.lineno + 1
    assert ast.unparse(second.orelse[0]).startswith("out[i] = v + cuda.shfl_down_sync")
    assert not any(isinstance(n, ast.Return) for n in ast.walk(rewritten))
