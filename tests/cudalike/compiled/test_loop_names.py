"""A loop variable's name shared by a loop around barriers and the threads' own loops, or by
loops and an ordinary variable of another type: the compiled tier gives a loop its own name
where no use lies outside the loops, or where no later statement can read the value the loop
leaves, and keeps the kernel on the vector engine otherwise; both tiers give the same arrays
byte for byte."""

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


def loops_around_a_byte_variable(text, out):
    """`b` clears and flushes bins in loops, and between them is a uint8 bin of a byte."""
    bins = cuda.shared.array(TILE, float32)
    t = cuda.threadIdx.x
    for b in range(t, TILE, cuda.blockDim.x):
        bins[b] = 0.0
    cuda.syncthreads()
    i = cuda.grid(1)
    if i < text.size:
        b = text[i] // 32
        cuda.atomic.add(bins, b, 1.0)
    cuda.syncthreads()
    for b in range(t, TILE, cuda.blockDim.x):
        out[cuda.blockIdx.x * TILE + b] = bins[b]


def loop_value_read_after_a_branch(text, out):
    """The loop's last `b` is read where the branch assigning a byte to `b` was not taken."""
    i = cuda.grid(1)
    total = 0
    for b in range(3):
        total += b
    if i < text.size and text[i] > 100:
        b = text[i] // 32
    if i < out.size:
        out[i] = total + b


def _bytes(rng):
    return [rng.integers(0, 256, 2 * TILE, dtype=np.uint8), np.zeros(2 * TILE, np.float32)]


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


@CHECKS
def test_loops_around_an_ordinary_variable_of_another_type_run_compiled(checks):
    kernel = cuda.jit(loops_around_a_byte_variable)
    error, counts, (text, out) = compare_tiers(kernel, 2, TILE, _bytes, checks, KernelError)
    assert error is None and counts.get("compiled") == 1
    expected = [np.bincount(block // 32, minlength=TILE) for block in text.reshape(2, TILE)]
    np.testing.assert_array_equal(out, np.concatenate(expected))


@CHECKS
def test_a_loop_whose_last_value_may_be_read_keeps_its_name(checks):
    kernel = cuda.jit(loop_value_read_after_a_branch)
    error, counts, _ = compare_tiers(kernel, 2, TILE, _bytes, checks, KernelError)
    assert error is None and counts.get("compiled", 0) == 0
    assert launcher.reasons["loop_value_read_after_a_branch"]


@pytest.mark.parametrize(
    "function, names",
    [
        (loops_around_a_byte_variable, ["b__loop1", "b__loop2"]),
        (loop_value_read_after_a_branch, ["b"]),
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
