"""Warp functions under branches that divide warps: both tiers give the same arrays and reports.

The vector engine runs such a branch with the lanes that take it: a vote and
`cuda.activemask()` see only those lanes (a member mask naming others changes nothing), a
shuffle from a lane of the warp outside the branch reads whatever that lane's array holds, and
`cuda.syncwarp(mask)` meets the warps with a lane in the branch. Compiled code computes the
same with the branch's threads as the block's live ones, and hands a shuffle from a lane
outside the branch back to the vector engine. The warp-aggregated atomics idiom (NVIDIA's
`filter_aggregated`) runs compiled, with `base` an int32 or, untyped, a Python 0.
"""

import numpy as np
import pytest
from numba import float32, int32

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers, how_it_ran

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
FULL = 0xFFFFFFFF


def filter_aggregated(src, dst, nres):
    i = cuda.grid(1)
    if i < src.size and src[i] > 0:
        active = cuda.activemask()
        leader = cuda.ffs(active) - 1
        lane = cuda.laneid
        base = int32(0)
        if lane == leader:
            base = cuda.atomic.add(nres, 0, cuda.popc(active))
        base = cuda.shfl_sync(active, base, leader)
        rank = cuda.popc(active & ((1 << lane) - 1))
        dst[base + rank] = src[i]


def filter_aggregated_untyped(src, dst, nres):
    """`base = 0`: a Python 0 on the vector engine in a chunk where no leader ran the atomic,
    an int32 array elsewhere (the Python 0 merged into it); shuffled into itself it stays so,
    and `base + rank` is int32 either way."""
    i = cuda.grid(1)
    if i < src.size and src[i] > 0:
        active = cuda.activemask()
        leader = cuda.ffs(active) - 1
        lane = cuda.laneid
        base = 0
        if lane == leader:
            base = cuda.atomic.add(nres, 0, cuda.popc(active))
        base = cuda.shfl_sync(active, base, leader)
        rank = cuda.popc(active & ((1 << lane) - 1))
        dst[base + rank] = src[i]


def _filter_args(n: int, high: int = 5):
    def make(rng):
        src = rng.integers(-5, high, n).astype(np.int32)
        return [src, np.zeros(n, np.int32), np.zeros(1, np.int32)]

    return make


def _run(function, grid, block, make, checks):
    """(the error both tiers raised or None, how the compiled tier ran, its reason)."""
    with np.errstate(all="ignore"):
        error, counts, _ = compare_tiers(cuda.jit(function), grid, block, make, checks, KernelError)
    return error, how_it_ran(counts), launcher.reasons.get(function.__name__, "")


@CHECKS
@pytest.mark.parametrize("function", [filter_aggregated, filter_aggregated_untyped])
@pytest.mark.parametrize(
    "grid, block, n, high",
    [(20, 256, 5000, 5), (7, 80, 500, 5), (3, 48, 130, 5), (4, 64, 256, 0)],
    ids=["survey", "partial-warps", "half-warps", "none-kept"],
)
def test_warp_aggregated_atomics_run_compiled(checks, function, grid, block, n, high):
    error, ran, reason = _run(function, grid, block, _filter_args(n, high), checks)
    assert error is None
    assert ran == "compiled", reason


def filter_wide(src, dst, nres):
    """`base = -1` first: the 0 set under the branch merges with it into an int64 array, which
    `base + rank` keeps in int64 where compiled code adds in int32."""
    i = cuda.grid(1)
    base = -1
    if i < src.size and src[i] > 0:
        active = cuda.activemask()
        leader = cuda.ffs(active) - 1
        lane = cuda.laneid
        base = 0
        if lane == leader:
            base = cuda.atomic.add(nres, 0, cuda.popc(active))
        base = cuda.shfl_sync(active, base, leader)
        rank = cuda.popc(active & ((1 << lane) - 1))
        dst[base + rank] = src[i]


def wide_shuffled_store(src, out, nres):
    """The same int64 array shuffled, then stored whole: the same numbers in the int32 array."""
    i = cuda.grid(1)
    base = -1
    if i < src.size and src[i] > 0:
        active = cuda.activemask()
        leader = cuda.ffs(active) - 1
        base = 0
        if cuda.laneid == leader:
            base = cuda.atomic.add(nres, 0, cuda.popc(active))
        base = cuda.shfl_sync(active, base, leader)
    out[i] = base


@CHECKS
def test_an_int64_array_shuffled_then_stored_runs_compiled(checks):
    error, ran, reason = _run(wide_shuffled_store, 4, 64, _filter_args(256), checks)
    assert error is None
    assert ran == "compiled", reason


@CHECKS
def test_an_int64_array_shuffled_then_added_stays_on_the_vector_engine(checks):
    error, ran, reason = _run(filter_wide, 4, 64, _filter_args(256), checks)
    assert error is None and ran == "vector"
    assert "set to Python numbers under different masks (an int64 array) where line" in reason


def aggregated_histogram(keys, bins):
    """Lanes holding the same key elect a leader, which adds their count; the guard divides
    the last warp, and blocks of 80 threads end in a half warp."""
    i = cuda.grid(1)
    if i < keys.size:
        key = keys[i]
        peers = cuda.match_any_sync(cuda.activemask(), key)
        leader = cuda.ffs(peers) - 1
        if cuda.laneid == leader:
            cuda.atomic.add(bins, key, cuda.popc(peers))


@CHECKS
def test_warp_aggregated_counters_run_compiled(checks):
    def make(rng):
        return [rng.integers(0, 6, 530).astype(np.int32), np.zeros(6, np.int32)]

    error, ran, reason = _run(aggregated_histogram, 7, 80, make, checks)
    assert error is None
    assert ran == "compiled", reason


def votes_in_both_branches(x, out):
    """Votes with the whole warp's mask in each branch: only the branch's lanes vote."""
    i = cuda.grid(1)
    v = x[i]
    if cuda.laneid % 3 == 0:
        b = cuda.ballot_sync(FULL, v > 0)
        a = cuda.all_sync(FULL, v > -1)
        n = cuda.any_sync(FULL, v > 1.5)
    else:
        b = cuda.ballot_sync(FULL, v < 0)
        a = cuda.all_sync(FULL, v < 2)
        n = cuda.any_sync(FULL, v < -1.5)
    out[i, 0] = b
    out[i, 1] = a
    out[i, 2] = n


def masks_in_both_branches(x, out):
    i = cuda.grid(1)
    if x[i] > 0:
        m = cuda.activemask()
        if x[i] > 1:
            m ^= cuda.activemask() << 1
    else:
        m = cuda.activemask()
    out[i, 0] = m


def half_warp_sums(x, out):
    """A shfl_down tree in the upper half warp (lanes past 31 give their own value) and a
    butterfly in the lower half, each reading only lanes of its own branch."""
    i = cuda.grid(1)
    v = x[i]
    if cuda.laneid >= 16:
        for k in range(4):
            v += cuda.shfl_down_sync(0xFFFF0000, v, 8 >> k)
    else:
        offset = 8
        while offset > 0:
            v += cuda.shfl_xor_sync(0x0000FFFF, v, offset)
            offset //= 2
    out[i, 0] = v


def _table(columns: int, dtype):
    def make(rng):
        x = rng.uniform(-3, 3, 240).astype(np.float32)
        return [x, np.zeros((240, columns), dtype)]

    return make


@CHECKS
@pytest.mark.parametrize("block", [80, 48, 32])
@pytest.mark.parametrize(
    "function, columns, dtype",
    [
        (votes_in_both_branches, 3, np.int64),
        (masks_in_both_branches, 1, np.uint32),
        (half_warp_sums, 1, np.float32),
    ],
    ids=["votes", "activemask", "sums"],
)
def test_warp_functions_in_divergent_branches_run_compiled(checks, block, function, columns, dtype):
    error, ran, reason = _run(function, 240 // block, block, _table(columns, dtype), checks)
    assert error is None
    assert ran == "compiled", reason


def half_warp_exchange(x, out):
    """Lanes below 16 write, meet at a syncwarp of their mask, then read a neighbour's write."""
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    g = cuda.grid(1)
    if cuda.laneid < 16:
        s[t] = x[g] * 2
        cuda.syncwarp(0x0000FFFF)
        out[g] = s[t ^ 1]
    else:
        active = cuda.activemask()
        s[t] = x[g] + 1
        cuda.syncwarp(active)
        out[g] = s[t ^ 2]


def half_warp_exchange_unsynced(x, out):
    """The same without the syncwarp: a race on the shared array, reported with checks on."""
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    g = cuda.grid(1)
    if cuda.laneid < 16:
        s[t] = x[g] * 2
        out[g] = s[t ^ 1]
    else:
        out[g] = x[g]


def _floats(rng):
    return [rng.uniform(-3, 3, 128).astype(np.float32), np.zeros(128, np.float32)]


@CHECKS
def test_a_syncwarp_with_a_mask_under_divergence_runs_compiled(checks):
    error, ran, reason = _run(half_warp_exchange, 2, 64, _floats, checks)
    assert error is None
    assert ran == "compiled", reason


def test_a_race_under_divergence_is_reported_alike():
    error, ran, _ = _run(half_warp_exchange_unsynced, 2, 64, _floats, True)
    assert "race" in str(error).lower()
    assert ran == "handed back"


def shuffle_from_outside(x, out):
    """A shuffle from lane 0 in the upper half warp: lane 0 is not in the branch."""
    i = cuda.grid(1)
    v = x[i] * 2
    if cuda.laneid >= 16:
        v = cuda.shfl_sync(0xFFFF0000, v, 0)
    out[i] = v


def index_from_outside(x, out):
    """The value shuffled from a lane outside the branch is an index past the array's end."""
    i = cuda.grid(1)
    j = i
    if cuda.laneid >= 16:
        j = cuda.shfl_sync(0xFFFF0000, i * 1000, 0)
    out[j] = x[i]


def votes_naming_inactive_lanes(x, out):
    """Masks naming lanes that are not active (outside the branch, or past a partial warp):
    the vector engine's votes count only the active lanes among them."""
    i = cuda.grid(1)
    if x[i] > 0:
        out[i] = cuda.ballot_sync(0x0F0F0F0F, x[i] > 1)
        m = cuda.match_any_sync(FULL, int32(x[i]))
        out[i] ^= m << 4
        out[i] += cuda.all_sync(0xFFFF, x[i] > 0.5)


@CHECKS
def test_a_shuffle_from_a_lane_outside_the_branch_is_handed_back(checks):
    error, ran, _ = _run(shuffle_from_outside, 2, 64, _floats, checks)
    assert error is None and ran == "handed back"


@CHECKS
def test_an_index_shuffled_from_outside_the_branch_is_reported_alike(checks):
    error, ran, _ = _run(index_from_outside, 2, 64, _floats, checks)
    assert ("is outside 0..127" if checks else "out[j] = ") in str(error)
    assert ran == "handed back"


@CHECKS
def test_votes_whose_masks_name_inactive_lanes_run_compiled(checks):
    def make(rng):
        return [rng.uniform(-3, 3, 160).astype(np.float32), np.zeros(160, np.int64)]

    error, ran, reason = _run(votes_naming_inactive_lanes, 2, 80, make, checks)
    assert error is None
    assert ran == "compiled", reason
