"""`break` and `continue` of a loop around barriers on the compiled tier: under a test every
thread of the block shares (a pyramid loop's `if i == steps - 1: break`), or bare, the block's
loop leaves or goes on as one and the kernel compiles; under a test that differs between
threads it stays on the vector engine, which reports the divergent barrier. Both tiers give the
same arrays and reports."""

import numpy as np
import pytest
from numba import float32

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
TPB = 32


def pyramid_break(a, steps, out):
    """Smooths a tile `steps` times, leaving the loop after the last step's stores."""
    tile = cuda.shared.array(TPB + 2, float32)
    t = cuda.threadIdx.x
    g = cuda.blockIdx.x * TPB + t
    tile[t + 1] = a[g]
    if t == 0:
        tile[0] = float32(0)
        tile[TPB + 1] = float32(0)
    cuda.syncthreads()
    for i in range(8):
        value = (tile[t] + tile[t + 1] + tile[t + 2]) / float32(3)
        cuda.syncthreads()
        tile[t + 1] = value
        if i == steps - 1:
            break
        cuda.syncthreads()
    out[g] = tile[t + 1]


def uniform_continue(a, out):
    """Skips the odd rounds, barriers and all."""
    tile = cuda.shared.array(TPB, float32)
    t = cuda.threadIdx.x
    g = cuda.blockIdx.x * TPB + t
    acc = float32(0)
    for r in range(6):
        if r % 2 == 1:
            continue
        tile[t] = a[g] * r
        cuda.syncthreads()
        acc += tile[(t + r) % TPB]
        cuda.syncthreads()
    out[g] = acc


def bare_break(a, out):
    """One round: the loop ends at its `break` for every thread."""
    tile = cuda.shared.array(TPB, float32)
    t = cuda.threadIdx.x
    g = cuda.blockIdx.x * TPB + t
    for r in range(4):
        tile[t] = a[g] + r
        cuda.syncthreads()
        out[g] = tile[TPB - 1 - t]
        break


def thread_break(a, out):
    """Thread 0 leaves the loop, the others wait at its barrier: a divergent barrier."""
    tile = cuda.shared.array(TPB, float32)
    t = cuda.threadIdx.x
    for r in range(4):
        if t == 0 and r == 1:
            break
        tile[t] = a[t] + r
        cuda.syncthreads()
    out[t] = tile[t]


def _arguments(rng):
    return [rng.standard_normal(2 * TPB).astype(np.float32), np.zeros(2 * TPB, np.float32)]


@CHECKS
@pytest.mark.parametrize("steps", [1, 3, 8])
def test_a_pyramid_loop_leaving_at_a_uniform_test_runs_compiled(steps, checks):
    def make(rng):
        a, out = _arguments(rng)
        return [a, steps, out]

    error, counts, _ = compare_tiers(cuda.jit(pyramid_break), 2, TPB, make, checks, KernelError)
    assert error is None and counts.get("compiled") == 1


@CHECKS
@pytest.mark.parametrize("function", [uniform_continue, bare_break])
def test_a_continue_or_bare_break_of_the_blocks_loop_runs_compiled(function, checks):
    error, counts, _ = compare_tiers(cuda.jit(function), 2, TPB, _arguments, checks, KernelError)
    assert error is None and counts.get("compiled") == 1


def test_a_break_only_some_threads_take_stays_on_the_vector_engine():
    error, counts, _ = compare_tiers(cuda.jit(thread_break), 1, TPB, _arguments, True, KernelError)
    assert counts.get("compiled", 0) == 0
    assert "break or continue" in launcher.reasons["thread_break"]
    assert error is not None and "barrier" in str(error)
