"""Memory fences on the compiled tier: a statement that does nothing there, with the vector
engine's arrays; the "last block" pattern, whose read of other blocks' writes the race checks
accept (a fence, then an atomic), runs compiled with checks on too (test_fence_publish.py)."""

import numpy as np
import pytest
from numba import float32

from cudalike import config, cuda
from cudalike.simt.compiled import launcher

pytestmark = pytest.mark.slow

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])


def fenced(a, out):
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    s[t] = a[i]
    cuda.threadfence_block()
    cuda.syncthreads()
    v = s[63 - t]
    for _ in range(2):
        v += 1
        cuda.threadfence()
    if v > 0:
        cuda.threadfence_system()
    out[i] = v


def last_block_sums(a, partial, counter, total):
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    s[t] = a[cuda.grid(1)]
    cuda.syncthreads()
    if t == 0:
        acc = float32(0)
        for k in range(64):
            acc += s[k]
        partial[cuda.blockIdx.x] = acc
        cuda.threadfence()
        ticket = cuda.atomic.inc(counter, 0, 1 << 30)
        if ticket == cuda.gridDim.x - 1:  # the last block: every partial sum is published
            whole = float32(0)
            for b in range(cuda.gridDim.x):
                whole += partial[b]
            total[0] = whole


def _arguments(function, rng):
    a = rng.standard_normal(256).astype(np.float32)
    if function is fenced:
        return [a, np.zeros(256, np.float32)]
    return [a, np.zeros(4, np.float32), np.zeros(1, np.uint32), np.zeros(1, np.float32)]


@CHECKS
@pytest.mark.parametrize("function", [fenced, last_block_sums])
def test_fences_give_the_vector_engines_arrays(function, checks):
    kernel = cuda.jit(function)
    runs = []
    for tier in ("vector", "compiled"):
        args = _arguments(function, np.random.default_rng(2))
        before = dict(launcher.outcomes)
        with config.override(tier=tier, checks=checks):
            kernel[4, 64](*args)
        runs.append(
            (
                args,
                {k: launcher.outcomes[k] - before.get(k, 0) for k in ("compiled", "handed back")},
            )
        )
    (vector, _), (compiled, counts) = runs
    for left, right in zip(vector, compiled, strict=True):
        np.testing.assert_array_equal(left, right)
    expected = {"compiled": 1, "handed back": 0}
    assert counts == expected, launcher.reasons.get(function.__name__)
