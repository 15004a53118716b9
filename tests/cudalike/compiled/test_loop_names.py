"""A loop variable's name shared by a loop around barriers and the threads' own loops: the
compiled tier gives each loop its own name where no use lies outside them, and keeps the
kernel on the vector engine otherwise; both tiers give the same arrays byte for byte."""

import ast
import copy

import numpy as np
import pytest
from numba import float32

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher, loop_names
from tests.cudalike.compiled.tiers import compare_tiers

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
TILE = 8


def shared_name_in_three_loops(a, out):
    """`c` counts per thread before and after the barrier loop over `c`."""
    tile = cuda.shared.array(TILE, float32)
    t = cuda.threadIdx.x
    acc = cuda.local.array(2, float32)
    for c in range(2):
        acc[c] = 0.0
    for c in range(2):
        tile[t] = a[cuda.blockIdx.x * 2 * TILE + c * TILE + t]
        cuda.syncthreads()
        for k in range(TILE):
            acc[c] += tile[k]
        cuda.syncthreads()
    for c in range(2):
        out[cuda.blockIdx.x * 2 * TILE + c * TILE + t] = acc[c]


def read_after_the_loop(a, out):
    """`c` keeps the barrier loop's last value after it: one name, so the vector engine."""
    tile = cuda.shared.array(TILE, float32)
    t = cuda.threadIdx.x
    total = float32(0.0)
    for c in range(2):
        tile[t] = a[c * TILE + t]
        cuda.syncthreads()
        total += tile[(t + 1) % TILE]
        cuda.syncthreads()
    for c in range(3):
        total += c
    out[t] = total + c


def nested_loops_of_one_name(a, out):
    """An inner loop over `c` inside a barrier loop over `c`: the outer's `c` is the inner's
    last value after it, so the names stay shared and the kernel on the vector engine."""
    tile = cuda.shared.array(TILE, float32)
    t = cuda.threadIdx.x
    total = float32(0.0)
    for c in range(2):
        tile[t] = a[c * TILE + t]
        cuda.syncthreads()
        for c in range(3):  # noqa: B007 - the shadowing is what is tested
            total += tile[(t + c) % TILE]
        cuda.syncthreads()
    out[t] = total


def _arguments(rng):
    return [rng.standard_normal(4 * TILE).astype(np.float32), np.zeros(4 * TILE, np.float32)]


@CHECKS
def test_independent_loops_of_one_name_run_compiled(checks):
    kernel = cuda.jit(shared_name_in_three_loops)
    error, counts, (a, out) = compare_tiers(kernel, 2, TILE, _arguments, checks, KernelError)
    assert error is None and counts.get("compiled") == 1
    sums = a.reshape(2, 2, TILE).sum(axis=2)  # every thread of a tile gets the tile's sum
    np.testing.assert_allclose(out.reshape(2, 2, TILE), np.repeat(sums[:, :, None], TILE, 2))


@CHECKS
@pytest.mark.parametrize("function", [read_after_the_loop, nested_loops_of_one_name])
def test_loops_whose_name_is_used_outside_them_stay_on_the_vector_engine(function, checks):
    kernel = cuda.jit(function)
    error, counts, _ = compare_tiers(kernel, 1, TILE, _arguments, checks, KernelError)
    assert error is None and counts.get("compiled", 0) == 0
    assert launcher.reasons.get(function.__name__)


@pytest.mark.parametrize(
    "function, names",
    [
        (shared_name_in_three_loops, ["c", "k", "c__loop1", "c__loop2"]),
        (read_after_the_loop, ["c", "c"]),
        (nested_loops_of_one_name, ["c", "c"]),
    ],
)
def test_each_loop_gets_its_own_name_only_where_no_use_lies_outside_the_loops(function, names):
    parsed = copy.deepcopy(cuda.jit(function).parsed)
    loop_names.separate_loop_variables(parsed)
    loops = [node for node in ast.walk(parsed.tree) if isinstance(node, ast.For)]
    assert sorted(loop.target.id for loop in loops) == sorted(names)
