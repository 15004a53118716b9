"""Array elements deciding a loop or an `if` around barriers on the compiled tier: lavaMD's
`for k in range(1 + box_nn[bx])` and a block's `if flags[bx] > 0:` around a barrier read the
element into a variable every live thread assigns, so the block loops or branches as one and
the kernel compiles. An element that differs between the block's threads makes the barrier
divergent: the launch is handed back and both tiers give the vector engine's report. A bad
index in the range gives the same report on both tiers. A `while` reads its test again at the
end of each iteration, unless a `continue` would skip that read. Both tiers give the same
arrays."""

import numpy as np
import pytest
from numba import float32

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
TPB = 32


def neighbour_sums(counts, starts, a, out):
    """For each of its block's neighbours (a count per block), stage a tile and add it up."""
    tile = cuda.shared.array(TPB, float32)
    t = cuda.threadIdx.x
    b = cuda.blockIdx.x
    acc = float32(0)
    for k in range(starts[b], starts[b] + counts[b]):
        tile[t] = a[(k % cuda.gridDim.x) * TPB + t]
        cuda.syncthreads()
        acc += tile[TPB - 1 - t]
        cuda.syncthreads()
    out[b * TPB + t] = acc


def flagged_blocks(flags, a, out):
    """Only blocks whose flag is set stage and reverse their tile."""
    tile = cuda.shared.array(TPB, float32)
    t = cuda.threadIdx.x
    g = cuda.blockIdx.x * TPB + t
    out[g] = a[g]
    if flags[cuda.blockIdx.x] > 0:
        tile[t] = a[g] * 2
        cuda.syncthreads()
        out[g] = tile[TPB - 1 - t]


def guarded_flags(flags, a, out):
    """The flag is read only by blocks the first test lets through (four blocks, three flags)."""
    tile = cuda.shared.array(TPB, float32)
    t = cuda.threadIdx.x
    g = cuda.blockIdx.x * TPB + t
    out[g] = a[g]
    if cuda.blockIdx.x < flags.size and flags[cuda.blockIdx.x] > 0:
        tile[t] = a[g] * 2
        cuda.syncthreads()
        out[g] = tile[TPB - 1 - t]


def per_thread_rounds(counts, a, out):
    """The trip count differs between threads: a barrier only some threads reach."""
    tile = cuda.shared.array(TPB, float32)
    t = cuda.threadIdx.x
    for k in range(counts[t]):
        tile[t] = a[t] + k
        cuda.syncthreads()
    out[t] = tile[t]


def drained(counts, a, out):
    """A `while` whose condition reads the element again at every iteration."""
    tile = cuda.shared.array(TPB, float32)
    t = cuda.threadIdx.x
    b = cuda.blockIdx.x
    tile[t] = float32(0)
    k = 0
    while k < counts[b]:
        tile[t] = a[b * TPB + t] + k
        cuda.syncthreads()
        k += 1
    out[b * TPB + t] = tile[t]


def drained_skipping(counts, a, out):
    """The same with a `continue` that would skip a read at the end of the iteration."""
    tile = cuda.shared.array(TPB, float32)
    t = cuda.threadIdx.x
    b = cuda.blockIdx.x
    tile[t] = float32(0)
    k = 0
    while k < counts[b]:
        k += 1
        if k == 2:
            continue
        tile[t] = a[b * TPB + t] + k
        cuda.syncthreads()
    out[b * TPB + t] = tile[t]


def _neighbours(blocks: int, counts):
    def make(rng):
        return [
            np.array(counts, np.int32),
            rng.integers(0, blocks, blocks).astype(np.int64),
            rng.standard_normal(blocks * TPB).astype(np.float32),
            np.zeros(blocks * TPB, np.float32),
        ]

    return make


@CHECKS
@pytest.mark.parametrize("counts", [[0, 1, 3], [2, 2, 2]], ids=["varied", "same"])
def test_a_loop_over_a_blocks_own_count_runs_compiled(counts, checks):
    make = _neighbours(3, counts)
    error, runs, _ = compare_tiers(cuda.jit(neighbour_sums), 3, TPB, make, checks, KernelError)
    assert error is None and runs.get("compiled") == 1, launcher.reasons.get("neighbour_sums")


@CHECKS
@pytest.mark.parametrize(
    "function, flags",
    [(flagged_blocks, [1, 0, 0, 5]), (guarded_flags, [1, 0, 5])],
    ids=["flag", "guarded-flag"],
)
def test_an_if_on_a_blocks_flag_around_a_barrier_runs_compiled(function, flags, checks):
    def make(rng):
        a = rng.standard_normal(4 * TPB).astype(np.float32)
        return [np.array(flags, np.int16), a, np.zeros_like(a)]

    error, runs, _ = compare_tiers(cuda.jit(function), 4, TPB, make, checks, KernelError)
    assert error is None and runs.get("compiled") == 1, launcher.reasons.get(function.__name__)


def test_a_count_that_differs_between_threads_gives_the_vector_engines_report():
    def make(rng):
        counts = np.full(TPB, 2, np.int32)
        counts[5] = 3
        return [counts, rng.standard_normal(TPB).astype(np.float32), np.zeros(TPB, np.float32)]

    kernel = cuda.jit(per_thread_rounds)
    error, runs, _ = compare_tiers(kernel, 1, TPB, make, True, KernelError)
    assert runs.get("handed back") == 1
    assert error is not None and "barrier" in str(error)


def test_a_bad_index_in_the_range_gives_the_same_report_on_both_tiers():
    make = _neighbours(3, [1, 1])  # block 2 reads counts[2], past the end
    error, _, _ = compare_tiers(cuda.jit(neighbour_sums), 3, TPB, make, True, KernelError)
    assert error is not None and "out-of-bounds" in str(error)


def _drain(rng):
    a = rng.standard_normal(3 * TPB).astype(np.float32)
    return [np.array([2, 0, 3], np.int64), a, np.zeros_like(a)]


@CHECKS
def test_a_while_condition_reading_an_element_is_read_again_each_iteration(checks):
    error, runs, _ = compare_tiers(cuda.jit(drained), 3, TPB, _drain, checks, KernelError)
    assert error is None and runs.get("compiled") == 1, launcher.reasons.get("drained")


def test_a_while_with_a_continue_stays_on_the_vector_engine():
    kernel = cuda.jit(drained_skipping)
    error, runs, _ = compare_tiers(kernel, 3, TPB, _drain, True, KernelError)
    assert error is None and runs.get("compiled", 0) == 0
    reason = launcher.reasons["drained_skipping"]
    assert "an array element decides a barrier's control flow" in reason
