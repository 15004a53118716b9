"""Block-wide votes on the compiled tier: `cuda.syncthreads_count`, `_and` and `_or` give the
vector engine's arrays and reports, checks on and off, and run compiled.

Each vote is a barrier: its predicate is read before it and its result stored after it, so
the race checks see the same epochs as the vector engine's. Threads that returned take no part;
a vote in divergent code is handed back and the vector engine reports the divergence; a
`while cuda.syncthreads_or(changed):` loop counts the vector engine's iterations.
"""

import numpy as np
import pytest
from numba import float32, int32, int64

from cudalike import config, cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers

pytestmark = pytest.mark.slow

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])


def _run(function, griddim, blockdim, make_args, checks):
    """The error both tiers raised (or None) and the compiled tier's outcome counts, after
    asserting identical arrays and errors."""
    kernel = cuda.jit(function)
    error, counts, _ = compare_tiers(kernel, griddim, blockdim, make_args, checks, KernelError)
    return error, counts


def _assert_compiled(function, griddim, blockdim, make_args, checks):
    error, counts = _run(function, griddim, blockdim, make_args, checks)
    assert error is None
    assert counts.get("compiled", 0) == 1, launcher.reasons.get(function.__name__)


def _floats(n, low=-1.0, high=1.0):
    return lambda rng: rng.uniform(low, high, n).astype(np.float32)


# ---- correct kernels ------------------------------------------------------------------------
def positives_per_block(a, out):
    i = cuda.grid(1)
    n = cuda.syncthreads_count(a[i] > 0)
    if cuda.threadIdx.x == 0:
        out[cuda.blockIdx.x] = n


def count_and_or(a, counts, ands, ors):
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    p = a[i] > 0
    c = cuda.syncthreads_count(p)
    all_p = cuda.syncthreads_and(p)
    any_p = cuda.syncthreads_or(a[i] > 0.9)
    if t == 0:
        counts[cuda.blockIdx.x] = c
        ands[cuda.blockIdx.x] = all_p
        ors[cuda.blockIdx.x] = any_p


def votes_of_a_2d_block(a, out):
    x, y = cuda.grid(2)
    c = cuda.syncthreads_count(a[x, y] > 0)
    e = cuda.syncthreads_and(a[x, y] != 0)  # NaN is true, as numpy's `!= 0` says
    out[x, y] = c * 2 + e


def max_propagation(a, out, rounds):
    """Each thread takes the largest of its neighbours until no thread's value changes."""
    s = cuda.shared.array(64, int32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    s[t] = a[i]
    changed = True
    k = 0
    while cuda.syncthreads_or(changed):
        m = s[t]
        if t > 0:
            m = max(m, s[t - 1])
        if t + 1 < cuda.blockDim.x:
            m = max(m, s[t + 1])
        changed = m != s[t]
        cuda.syncthreads()
        s[t] = m
        k += 1
    out[i] = s[t]
    if t == 0:
        rounds[cuda.blockIdx.x] = k


def halve_while_any_large(a, out, steps):
    """`while cuda.syncthreads_count(...) > 0`: the vote inside a comparison."""
    i = cuda.grid(1)
    v = a[i]
    k = 0
    while cuda.syncthreads_count(v > float32(1.0)) > 0:
        if v > float32(1.0):
            v = v * float32(0.5)
        k += 1
    out[i] = v
    steps[i] = k


def votes_in_a_block_loop(a, out):
    t = cuda.threadIdx.x
    v = a[cuda.grid(1)]
    for r in range(4):
        c = cuda.syncthreads_count(v > float32(r) * float32(0.25))
        if t == 0:
            out[cuda.blockIdx.x, r] = c


def votes_after_return(a, out, n):
    """Threads past `n` leave first: the votes count the live ones (a whole block leaves)."""
    i = cuda.grid(1)
    if i >= n:
        return
    c = cuda.syncthreads_count(a[i] > 0)
    every = cuda.syncthreads_and(a[i] > -0.5)
    out[i] = c * 10 + every


def votes_in_arithmetic(a, out, scaled, totals):
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    out[i] = 2 * cuda.syncthreads_count(a[i] > 0) + t
    s = float32(0.5) * cuda.syncthreads_or(a[i] > 0.99)
    total = int64(0)
    for k in range(cuda.syncthreads_count(a[i] > 0.5)):
        total += k
    if cuda.syncthreads_and(a[i] > -2.0):
        cuda.syncthreads()
        total += 1
    total += cuda.syncthreads_count(a[i] < 0)
    scaled[i] = s
    totals[i] = total


def vote_orders_shared_memory(a, out):
    """A vote is a barrier: the neighbour's element written before it is read after it."""
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    s[t] = a[i]
    c = cuda.syncthreads_count(s[t] > 0)
    out[i] = s[(t + 1) % 64] + c


def votes_in_if_and_elif(a, out):
    i = cuda.grid(1)
    if cuda.syncthreads_or(a[i] > 0.99):
        out[i] = 1
    elif cuda.syncthreads_and(a[i] > -0.99):
        out[i] = 2
    else:
        out[i] = 3


def vote_alone_as_a_barrier(a, out):
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    s[t] = a[cuda.grid(1)]
    cuda.syncthreads_count(s[t] > 0)
    out[cuda.grid(1)] = s[(t + 1) % 64]


def vote_stored_to_shared(a, out):
    s = cuda.shared.array(64, int32)
    t = cuda.threadIdx.x
    s[t] = cuda.syncthreads_count(a[cuda.grid(1)] > 0)
    s[t] += cuda.threadIdx.x
    cuda.syncthreads()
    out[cuda.grid(1)] = s[63 - t]


def vote_beside_a_shuffle(a, out):
    i = cuda.grid(1)
    v = a[i]
    v += cuda.shfl_down_sync(0xFFFFFFFF, v, 1)
    c = cuda.syncthreads_count(v > 0)
    out[i] = v + c


@cuda.jit(device=True)
def _count_into(out, i, p):
    out[i] = cuda.syncthreads_count(p)


def vote_in_a_device_function(a, out):
    """A device function called as a statement is written into the kernel (inline.py)."""
    i = cuda.grid(1)
    _count_into(out, i, a[i] > 0)


@CHECKS
@pytest.mark.parametrize(
    "function, griddim, blockdim, make_args",
    [
        (positives_per_block, 4, 64, lambda r: [_floats(256)(r), np.zeros(4, np.int32)]),
        (
            count_and_or,
            6,
            48,
            lambda r: [
                np.where(np.arange(288) < 96, 1.0, r.uniform(-1, 1, 288)).astype(np.float32),
                *(np.zeros(6, np.int64) for _ in range(3)),
            ],
        ),
        (
            votes_of_a_2d_block,
            (2, 2),
            (8, 4),
            lambda r: [
                np.where(r.random((16, 8)) < 0.2, np.nan, r.integers(-1, 2, (16, 8))).astype(
                    np.float64
                ),
                np.zeros((16, 8), np.int32),
            ],
        ),
        (
            max_propagation,
            3,
            64,
            lambda r: (
                [r.integers(0, 1000, 192).astype(np.int32), np.zeros(192, np.int32)]
                + [np.zeros(3, np.int32)]
            ),
        ),
        (
            halve_while_any_large,
            4,
            32,
            lambda r: (
                [_floats(128, 0.0, 50.0)(r), np.zeros(128, np.float32)] + [np.zeros(128, np.int64)]
            ),
        ),
        (votes_in_a_block_loop, 3, 64, lambda r: [_floats(192)(r), np.zeros((3, 4), np.int32)]),
        (
            votes_after_return,
            4,
            64,
            lambda r: [_floats(256)(r), np.full(256, -7, np.int32), 150],
        ),
        (
            votes_in_arithmetic,
            3,
            64,
            lambda r: (
                [_floats(192)(r), np.zeros(192, np.int64), np.zeros(192, np.float32)]
                + [np.zeros(192, np.int64)]
            ),
        ),
        (vote_orders_shared_memory, 2, 64, lambda r: [_floats(128)(r), np.zeros(128, np.float32)]),
        (votes_in_if_and_elif, 2, 64, lambda r: [_floats(128)(r), np.zeros(128, np.int32)]),
        (vote_alone_as_a_barrier, 2, 64, lambda r: [_floats(128)(r), np.zeros(128, np.float32)]),
        (vote_stored_to_shared, 2, 64, lambda r: [_floats(128)(r), np.zeros(128, np.int32)]),
        (vote_beside_a_shuffle, 2, 64, lambda r: [_floats(128)(r), np.zeros(128, np.float64)]),
        (vote_in_a_device_function, 2, 64, lambda r: [_floats(128)(r), np.zeros(128, np.int32)]),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_votes_run_compiled_with_the_vector_engines_results(
    function, griddim, blockdim, make_args, checks
):
    _assert_compiled(function, griddim, blockdim, make_args, checks)


def test_a_vote_keeps_its_type_int32():
    """The vote is an int32 on both tiers: `c * 1_000_000_000` wraps in int32, and `c * 2.5`
    is a float64."""

    def wraps(a, out, scaled):
        i = cuda.grid(1)
        c = cuda.syncthreads_count(a[i] > -2.0)
        out[i] = c * 1_000_000_000
        scaled[i] = c * 2.5

    for checks in (True, False):
        _assert_compiled(
            wraps,
            2,
            64,
            lambda r: [_floats(128)(r), np.zeros(128, np.int64), np.zeros(128, np.float64)],
            checks,
        )


# ---- reports and loop budgets --------------------------------------------------------------
def vote_in_divergent_code(a, out):
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    if t < 16:
        out[i] = cuda.syncthreads_count(a[i] > 0)


def vote_in_a_warp_branch(a, out):
    """An `if` around a shuffle needs its condition the same within each warp only; one around
    a vote needs it the same for the whole block."""
    i = cuda.grid(1)
    warp = cuda.threadIdx.x // 32
    v = a[i]
    if warp == 0:
        v += cuda.shfl_down_sync(0xFFFFFFFF, v, 1)
        out[i] = cuda.syncthreads_count(v > 0)


@CHECKS
@pytest.mark.parametrize("function", [vote_in_divergent_code, vote_in_a_warp_branch])
def test_a_vote_in_divergent_code_is_handed_back(function, checks):
    """Checks on, the vector engine reports the barrier divergence; off, it counts the threads
    that arrive. The compiled tier finds the condition differing and hands back either way."""
    error, counts = _run(
        function,
        2,
        64,
        lambda r: [_floats(128)(r), np.zeros(128, np.int32)],
        checks,
    )
    assert counts.get("compiled", 0) == 0 and counts.get("handed back", 0) == 1
    if checks:
        assert "barrier" in str(error).lower()
    else:
        assert error is None


def race_read_before_vote(a, out):
    """The predicate reads the neighbour's element before the vote's barrier: a race."""
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    s[t] = a[i]
    c = cuda.syncthreads_count(s[(t + 1) % 64] > 0)
    out[i] = c


def race_write_after_vote(a, out):
    """After the vote, one thread's store meets its neighbour's read with no barrier between."""
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    s[t] = a[i]
    c = cuda.syncthreads_count(s[t] > 0)
    out[i] = s[(t + 1) % 64]
    s[t] = c


@pytest.mark.parametrize("function", [race_read_before_vote, race_write_after_vote])
def test_races_around_a_vote_are_reported(function):
    error, counts = _run(
        function, 2, 64, lambda r: [_floats(128)(r), np.zeros(128, np.float32)], True
    )
    assert "data race" in str(error)
    assert counts.get("compiled", 0) == 0 and counts.get("handed back", 0) == 1


def endless_vote_loop(a, out):
    i = cuda.grid(1)
    k = 0
    while cuda.syncthreads_or(a[i] > -2.0):
        k += 1
    out[i] = k


def vote_loop_of_ten(a, out):
    i = cuda.grid(1)
    k = 0
    while cuda.syncthreads_or(k < 10):
        k += 1
    out[i] = k


@CHECKS
def test_vote_loops_keep_the_loop_budget(checks):
    """An endless `while cuda.syncthreads_or(...)` is handed back and reported by the vector
    engine; ten iterations in each of 8 blocks of one chunk (the vector engine counts the
    chunk's iterations once) fit a budget of 10 and not one of 9, on both tiers."""
    make_args = lambda r: [_floats(512)(r), np.zeros(512, np.int64)]  # noqa: E731
    with config.override(loop_budget=50):
        error, counts = _run(endless_vote_loop, 8, 64, make_args, checks)
    assert "budget" in str(error)
    assert counts.get("compiled", 0) == 0 and counts.get("handed back", 0) == 1
    with config.override(loop_budget=10):
        _assert_compiled(vote_loop_of_ten, 8, 64, make_args, checks)
    with config.override(loop_budget=9):
        error, counts = _run(vote_loop_of_ten, 8, 64, make_args, checks)
    assert "budget" in str(error)


# ---- what stays on the vector engine -------------------------------------------------------
def vote_after_a_read(a, out):
    i = cuda.grid(1)
    out[i] = a[i] + cuda.syncthreads_count(a[i] > 0)


def vote_under_a_short_circuit(a, out):
    i = cuda.grid(1)
    out[i] = a[i] > 0 and cuda.syncthreads_or(a[i] > 0.5)


def element_updated_by_a_vote(a, out):
    i = cuda.grid(1)
    out[i] += cuda.syncthreads_count(a[i] > 0)


def vote_decided_by_thread_index(a, out):
    i = cuda.grid(1)
    if cuda.threadIdx.x < 64:
        out[i] = cuda.syncthreads_count(a[i] > 0)


@CHECKS
@pytest.mark.parametrize(
    "function, reason",
    [
        (vote_after_a_read, "an array read before a block vote"),
        (vote_under_a_short_circuit, "a block vote that a short-circuit may skip"),
        (element_updated_by_a_vote, "an array element updated with a block vote"),
        (vote_decided_by_thread_index, "threadIdx decides a barrier's control flow"),
    ],
    ids=lambda v: getattr(v, "__name__", None),
)
def test_votes_the_compiled_tier_refuses(function, reason, checks):
    """Each stays on the vector engine, whose result or report (the short-circuit divides the
    block at the vote) both tiers give."""
    _, counts = _run(
        function, 2, 64, lambda r: [_floats(128)(r), np.zeros(128, np.float64)], checks
    )
    assert counts.get("compiled", 0) == 0
    assert reason in launcher.reasons.get(function.__name__, "")
