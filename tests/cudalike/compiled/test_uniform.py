"""Block-uniform variables (one scalar per block, no agreement check, statements run once per
block) give the vector engine's arrays bit for bit, its reports and its loop budget."""

import inspect

import numpy as np
import pytest
from numba import float32, int32

from cudalike import config, cuda
from cudalike.errors import OutOfBoundsError, RunawayKernelError
from cudalike.simt.compiled import launcher

pytestmark = pytest.mark.slow


def tree_sum(a, out, scale):
    # Harris's reduction: `s` halves at block level; `weight` mixes a float32 with Python
    # numbers and a scalar argument; `tag` wraps as int32; `base` is read by the threads and
    # then reassigned before the next segment reads it.
    buffer = cuda.shared.array(128, float32)
    t = cuda.threadIdx.x
    base = cuda.blockIdx.x * cuda.blockDim.x
    first = a[base + t]
    base = base + 1
    weight = float32(0.5) * cuda.gridDim.x + scale
    tag = int32(2147483647) + int32(cuda.blockIdx.x)
    buffer[t] = first * weight + a[base - 1 + t]
    cuda.syncthreads()
    s = cuda.blockDim.x // 2
    while s > 0:
        if t < s:
            buffer[t] += buffer[t + s]
        cuda.syncthreads()
        s //= 2
    if t == 0:
        out[cuda.blockIdx.x, 0] = buffer[0]
        out[cuda.blockIdx.x, 1] = tag
        out[cuda.blockIdx.x, 2] = weight


def _driver_source(kernel) -> str:
    return "".join(inspect.getsource(d.py_func) for d in launcher._drivers[kernel].values())


def _run(function, grid, block, make, tier, checks):
    kernel = cuda.jit(function)
    args = make()
    before = launcher.outcomes["compiled"]
    with config.override(tier=tier, checks=checks):
        kernel[grid, block](*args)
    return kernel, args, launcher.outcomes["compiled"] - before


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
def test_block_uniform_variables_match_the_vector_engine(checks):
    a = np.random.default_rng(3).random(6 * 128 + 1, dtype=np.float32)

    def make():
        return [a, np.zeros((6, 3), np.float32), 0.25]

    _, vector, _ = _run(tree_sum, 6, 128, make, "vector", checks)
    kernel, compiled, runs = _run(tree_sum, 6, 128, make, "compiled", checks)
    assert runs == 1
    assert np.array_equal(vector[1], compiled[1])
    source = _driver_source(kernel)
    assert "u_s = " in source and "P_s" not in source and "rt.uniform(" not in source


def past_the_shared_end(out):
    buffer = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    step = cuda.blockDim.x // 2
    buffer[t] = float32(t)
    cuda.syncthreads()
    while step > 0:
        if t < step:
            buffer[t] += buffer[t + 2 * step]  # the first step reads past the end
        cuda.syncthreads()
        step //= 2
    out[t] = buffer[t]


def test_a_fault_under_a_uniform_loop_is_reported_as_by_the_vector_engine():
    reports = []
    for tier in ("vector", "compiled"):
        with config.override(tier=tier):
            with pytest.raises(OutOfBoundsError) as error:
                cuda.jit(past_the_shared_end)[1, 64](np.zeros(64, np.float32))
        reports.append(str(error.value))
    assert reports[0] == reports[1]


def endless_halving(out, start):
    t = cuda.threadIdx.x
    s = start
    while s > 0:
        cuda.syncthreads()
        s = s // 2 + 1  # never reaches 0
    out[t] = s


def test_a_uniform_block_loop_counts_against_the_loop_budget():
    reports = []
    for tier in ("vector", "compiled"):
        with config.override(tier=tier, loop_budget=1000):
            with pytest.raises(RunawayKernelError) as error:
                cuda.jit(endless_halving)[2, 32](np.zeros(32, np.int64), 64)
        reports.append(str(error.value))
    assert reports[0] == reports[1]


def hillis_steele_scan(x, out):
    # `temp[t] += left` is an augmented store to an array element at block level (inside a
    # loop with barriers): it assigns no variable, so it neither makes nor breaks uniformity.
    temp = cuda.shared.array(64, int32)
    t = cuda.threadIdx.x
    temp[t] = x[cuda.blockIdx.x * 64 + t]
    cuda.syncthreads()
    offset = 1
    while offset < 64:
        left = temp[t - offset] if t >= offset else int32(0)
        cuda.syncthreads()
        temp[t] += left
        cuda.syncthreads()
        offset *= 2
    out[cuda.blockIdx.x * 64 + t] = temp[t]


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
def test_an_augmented_element_store_at_block_level_runs_compiled(checks):
    x = np.random.default_rng(8).integers(-50, 50, 3 * 64, dtype=np.int32)
    results = {}
    for tier in ("vector", "compiled"):
        out = np.zeros(3 * 64, np.int32)
        _, _, ran = _run(hillis_steele_scan, 3, 64, lambda out=out: [x, out], tier, checks)
        results[tier] = (out, ran)
    assert results["compiled"][1] == 1, launcher.reasons.get("hillis_steele_scan")
    np.testing.assert_array_equal(results["compiled"][0], results["vector"][0])
    np.testing.assert_array_equal(results["vector"][0], np.cumsum(x.reshape(3, 64), axis=1).ravel())
