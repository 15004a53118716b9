"""Warp shuffles and votes on the compiled tier with each kind of operand: a shuffle's lane
computed by its own thread in the exchange pass (a literal, a block-uniform loop counter, a
thread's variable) or first for every thread (one that reads an array), a member mask left out
(a literal) or still evaluated; votes summed up once per warp, with literal, shared and
per-lane member masks and partial warps. Arrays and reports are the vector engine's."""

import numpy as np
import pytest
from numba import float32

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers

pytestmark = pytest.mark.slow

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
FULL = 0xFFFFFFFF


def _both_tiers(function, griddim, blockdim, make_args, checks):
    """(runs compiled, runs handed back, the error both tiers raised)."""
    error, counts, _ = compare_tiers(
        cuda.jit(function), griddim, blockdim, make_args, checks, KernelError, seed=5
    )
    return counts.get("compiled", 0), counts.get("handed back", 0), error


def _floats(n, extra=0):
    return lambda rng: [
        rng.standard_normal(n).astype(np.float32),
        np.zeros(n + extra, np.float32),
    ]


# ---- shuffles: where the lane and the mask are computed -----------------------------------
def lanes_of_every_kind(x, out):
    i = cuda.grid(1)
    v = x[i]
    step = 1
    for k in range(4, -1, -1):  # a block-uniform loop counter
        v += cuda.shfl_xor_sync(FULL, v, 1 << k)
        step += 1  # thread-level, not uniform
    v += cuda.shfl_down_sync(0xFFFFFFFF, v, 3)  # a literal mask and lane
    v -= cuda.shfl_up_sync(FULL, v, step)  # a thread's own variable
    v += cuda.shfl_sync(FULL, v, i * 7 + cuda.laneid)  # thread-dependent, wrapped to 0..31
    v *= cuda.shfl_sync(FULL, v, -3)  # a negative lane wraps too
    v += cuda.shfl_down_sync(FULL, v, 40)  # past the warp: the caller's own value
    v += cuda.shfl_xor_sync(FULL, v, -1)  # outside the warp: the caller's own value
    out[i] = v


def lane_read_from_an_array(x, out, lanes):
    """The lane comes from an array the statement stores to: every thread's lane is read
    before any thread stores, as the vector engine evaluates the whole statement per lane."""
    i = cuda.grid(1)
    lanes[i] = i % 5
    lanes[i] = cuda.shfl_sync(FULL, i * 10, lanes[i ^ 1])
    out[i] = x[i]


def shuffled_unassigned(x, out):
    """Shuffles of a variable the statement does not assign read its per-thread array."""
    i = cuda.grid(1)
    v = x[i]
    w = cuda.shfl_sync(FULL, v, 0)
    u = cuda.shfl_down_sync(FULL, v, 1)
    v = v * 2 + w
    w = cuda.shfl_up_sync(FULL, v, 1) + u
    w = max(w, cuda.shfl_xor_sync(FULL, w, 2))
    out[i] = v + w


def masks_of_every_kind(x, out, mask, masks):
    i = cuda.grid(1)
    v = x[i]
    m = mask | 1  # a block-uniform mask
    v += cuda.shfl_down_sync(m, v, 1)
    v += cuda.shfl_down_sync(FULL ^ (i & 1), v, 2)  # a thread's own mask
    v += cuda.shfl_down_sync(masks[i % 3], v, 4)  # a mask read from an array
    out[i] = v


def mask_dividing_by_zero(x, out, divisor):
    """A shuffle does not use its member mask, but the vector engine evaluates it."""
    i = cuda.grid(1)
    v = x[i]
    v += cuda.shfl_down_sync(FULL // divisor, v, 1)
    out[i] = v


@CHECKS
@pytest.mark.parametrize("blockdim", [64, 80], ids=["whole-warps", "partial-warp"])
@pytest.mark.parametrize(
    "function", [lanes_of_every_kind, lane_read_from_an_array, shuffled_unassigned]
)
def test_shuffle_lanes_give_the_vector_engines_values(function, blockdim, checks):
    def make_args(rng):
        arrays = _floats(3 * blockdim)(rng)
        if function is lane_read_from_an_array:
            arrays.append(np.zeros(3 * blockdim, np.int32))
        return arrays

    ran, handed_back, error = _both_tiers(function, 3, blockdim, make_args, checks)
    if function is lane_read_from_an_array and checks:
        return  # a race between threads: reported, identically, once the launch is handed back
    assert error is None
    assert (ran, handed_back) == (1, 0), launcher.reasons.get(function.__name__)


@CHECKS
def test_shuffle_masks_of_every_kind_run_compiled(checks):
    def make_args(rng):
        masks = np.array([FULL, 0xFF, 0], np.uint32)
        return [*_floats(240)(rng), np.uint32(0xF0F0F0F0), masks]

    ran, handed_back, error = _both_tiers(masks_of_every_kind, 3, 80, make_args, checks)
    assert error is None
    assert (ran, handed_back) == (1, 0), launcher.reasons.get("masks_of_every_kind")


@CHECKS
def test_a_mask_that_raises_is_still_evaluated(checks):
    def make_args(rng):
        return [*_floats(128)(rng), 0]

    ran, handed_back, error = _both_tiers(mask_dividing_by_zero, 2, 64, make_args, checks)
    assert error is not None and "shfl_down_sync" in str(error)
    assert (ran, handed_back) == (0, 1)


# ---- votes, summed up once per warp -------------------------------------------------------
def votes_with_every_mask(x, out, shared_mask):
    i = cuda.grid(1)
    v = x[i]
    own = 0x0F0F0F0F | (1 << cuda.laneid)  # every lane names itself, and some others
    some = 0x0000FFFF  # only the first 16 lanes vote
    b = cuda.ballot_sync(FULL, v > 0)
    b ^= cuda.ballot_sync(some, v > 0.5) << 1
    b ^= cuda.ballot_sync(own, v < 0)
    a = cuda.all_sync(shared_mask, v > -2) + 2 * cuda.all_sync(some, v > -1)
    a += 4 * cuda.any_sync(own, v > 1.5) + 8 * cuda.any_sync(0, v > 0)  # no voter: all is 1
    a += 16 * cuda.all_sync(0, v > 9)
    e = cuda.eq_sync(FULL, v > -9) + 2 * cuda.eq_sync(some, i // 64)
    e += 4 * cuda.eq_sync(own, cuda.laneid < 40)
    out[i] = b + a * 1000.0 + e * 100000.0


def equal_nan(x, out):
    """A NaN differs from itself, even when its lane is the only one voting."""
    i = cuda.grid(1)
    out[i] = cuda.eq_sync(1, x[i]) + 2 * cuda.eq_sync(3, x[i]) + 4 * cuda.eq_sync(FULL, x[i])


@CHECKS
@pytest.mark.parametrize("blockdim", [64, 80], ids=["whole-warps", "partial-warp"])
def test_votes_give_the_vector_engines_values(blockdim, checks):
    def make_args(rng):
        return [*_floats(3 * blockdim)(rng), np.uint32(0x00FF00FF)]

    ran, handed_back, error = _both_tiers(votes_with_every_mask, 3, blockdim, make_args, checks)
    assert error is None
    assert (ran, handed_back) == (1, 0), launcher.reasons.get("votes_with_every_mask")


@CHECKS
def test_eq_sync_finds_a_lone_nan_unequal(checks):
    def make_args(rng):
        x = np.ones(128, np.float32)
        x[0] = x[64] = x[65] = np.nan  # a warp whose first voter is NaN, and one whose second
        x[96:] = np.nan
        return [x, np.zeros(128, np.float32)]

    ran, handed_back, error = _both_tiers(equal_nan, 2, 64, make_args, checks)
    assert (ran, handed_back, error) == (1, 0, None), launcher.reasons.get("equal_nan")


# ---- reductions ending in shuffles ----------------------------------------------------------
def harris_shuffle_tail(x, out):
    """Harris's tree in shared memory down to 64 sums, then one warp's shfl_down steps."""
    s = cuda.shared.array(256, float32)
    t = cuda.threadIdx.x
    s[t] = x[cuda.grid(1)]
    cuda.syncthreads()
    step = cuda.blockDim.x // 2
    while step > 32:
        if t < step:
            s[t] += s[t + step]
        cuda.syncthreads()
        step //= 2
    if t < 32:
        v = s[t] + s[t + 32]
        offset = 16
        while offset > 0:
            v += cuda.shfl_down_sync(FULL, v, offset)
            offset //= 2
        if t == 0:
            out[cuda.blockIdx.x] = v


@CHECKS
def test_a_reduction_with_a_shuffle_tail_runs_compiled(checks):
    def make_args(rng):
        return [rng.standard_normal(1024).astype(np.float32), np.zeros(4, np.float32)]

    ran, handed_back, error = _both_tiers(harris_shuffle_tail, 4, 256, make_args, checks)
    assert (ran, handed_back, error) == (1, 0, None), launcher.reasons.get("harris_shuffle_tail")


@CHECKS
@pytest.mark.parametrize(
    "exercise, kernel, outputs",
    [("warp_reduce", "warp_reduce", 32), ("reduce_warp_shuffle", "block_sums", 4)],
)
def test_the_warp_exercises_references_run_compiled(exercise, kernel, outputs, checks):
    from autograder.spec import load_exercise
    from autograder.steps.reference import load_reference

    reference = getattr(load_reference(load_exercise(exercise)), kernel)

    def make_args(rng):
        return [rng.standard_normal(1000).astype(np.float32), np.zeros(outputs, np.float32)]

    error, counts, _ = compare_tiers(reference, 4, 256, make_args, checks, KernelError)
    assert error is None
    assert counts.get("compiled", 0) == 1, launcher.reasons.get(kernel)
