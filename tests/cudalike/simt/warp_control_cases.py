"""Launches of files/warp_kernels.py and files/control_kernels.py with numpy oracles."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_array_equal

from .correct_cases import Case, blocks, small_ints

# ---- warp-level (numba's simulator has no shuffles, votes or lane masks) ---------------------


def _votes_args(rng):
    a = small_ints(rng, 128)
    a[:32] = 1  # warp 0: all positive
    a[32:64] = -1  # warp 1: none
    a[64:96] = np.where(np.arange(32) % 3 == 0, 5, -5)  # warp 2: every third lane
    a[96:] = np.where(np.arange(32) == 31, 2, 0)  # warp 3: only lane 31
    return [
        a,
        np.zeros(4, np.uint32),
        np.zeros(4, np.int32),
        np.zeros(4, np.int32),
        np.zeros(4, np.int32),
    ]


def _votes_check(args):
    positive = (args[0] > 0).reshape(4, 32)
    weights = np.uint64(1) << np.arange(32, dtype=np.uint64)
    assert_array_equal(args[1], (positive * weights).sum(1).astype(np.uint32))
    assert_array_equal(args[2], positive.all(1))
    assert_array_equal(args[3], positive.any(1))
    assert_array_equal(args[4], positive.all(1) | ~positive.any(1))


def _lane_masks_check(args):
    active, lower, rank = args
    lanes = np.arange(64) % 32
    even = lanes % 2 == 0
    assert_array_equal(active[even], 0x55555555)
    assert_array_equal(lower[even], ((1 << lanes) - 1)[even])
    assert_array_equal(rank[even], (lanes // 2)[even])
    assert not active[~even].any() and not lower[~even].any() and not rank[~even].any()


BIT_INPUTS = np.array(
    [0, 1, 2, 3, 0x80000000, 0xFFFFFFFF, 0x0F0F0F0F, 12345678, 1 << 20, 6], dtype=np.uint32
)


def _bit_ops_check(args):
    values = [int(v) for v in args[0]]
    assert_array_equal(args[1], [bin(v).count("1") for v in values])
    assert_array_equal(args[2], [int(f"{v:032b}"[::-1], 2) for v in values])
    assert_array_equal(args[3], [32 - v.bit_length() for v in values])
    assert_array_equal(args[4], [(v & -v).bit_length() for v in values])


def _barrier_votes_args(rng):
    a = np.zeros(192, np.float32)
    a[:64] = 1  # block 0: all positive
    a[128:] = np.where(np.arange(64) % 5 == 0, 1, 0)  # block 2: some
    return [a, np.zeros(3, np.int32), np.zeros(3, np.int32), np.zeros(3, np.int32)]


def _barrier_votes_check(args):
    positive = (args[0] > 0).reshape(3, 64)
    assert_array_equal(args[1], positive.sum(1))
    assert_array_equal(args[2], positive.all(1))
    assert_array_equal(args[3], positive.any(1))


WARP = [
    Case(
        "warp_shuffle_reduction",
        "warp_kernels",
        "shuffle_block_sum",
        4,
        128,
        lambda rng: [small_ints(rng, 512), np.zeros(1, np.float32)],
        lambda args: assert_array_equal(args[1], [args[0].sum()]),
        simulator=False,
    ),
    Case(
        "shfl_xor_butterfly",
        "warp_kernels",
        "butterfly_sum",
        4,
        64,
        lambda rng: [small_ints(rng, 256), np.zeros(256, np.float32)],
        lambda args: assert_array_equal(args[1], np.repeat(args[0].reshape(8, 32).sum(1), 32)),
        simulator=False,
    ),
    Case(
        "shfl_up_scan_and_broadcast",
        "warp_kernels",
        "warp_scan",
        2,
        64,
        lambda rng: [small_ints(rng, 128), np.zeros(128, np.float32), np.zeros(128, np.float32)],
        lambda args: (
            assert_array_equal(args[1], args[0].reshape(4, 32).cumsum(1).ravel()),
            assert_array_equal(args[2], np.repeat(args[0].reshape(4, 32).sum(1), 32)),
        ),
        simulator=False,
    ),
    Case("votes", "warp_kernels", "votes", 2, 64, _votes_args, _votes_check, simulator=False),
    Case(
        "activemask_lanemask_lt",
        "warp_kernels",
        "lane_masks",
        1,
        64,
        lambda rng: [np.zeros(64, np.uint32), np.zeros(64, np.uint32), np.zeros(64, np.int32)],
        _lane_masks_check,
        simulator=False,
    ),
    Case(
        "popc_brev_clz_ffs",
        "warp_kernels",
        "bit_ops",
        1,
        32,
        lambda rng: [
            BIT_INPUTS.copy(),
            np.zeros(10, np.int32),
            np.zeros(10, np.uint32),
            np.zeros(10, np.int32),
            np.zeros(10, np.int32),
        ],
        _bit_ops_check,
    ),
    Case(
        "fma_selp",
        "warp_kernels",
        "fma_selp",
        blocks(100, 32),
        32,
        lambda rng: [
            small_ints(rng, 100),
            small_ints(rng, 100),
            small_ints(rng, 100),
            np.zeros(100, np.float32),
        ],
        lambda args: assert_array_equal(
            args[3], np.where(args[0] > args[1], args[0] * args[1] + args[2], args[2])
        ),
    ),
    Case(
        "syncthreads_count_and_or",
        "warp_kernels",
        "barrier_votes",
        3,
        64,
        _barrier_votes_args,
        _barrier_votes_check,
    ),
    Case(
        "warp_synchronous_with_syncwarp",
        "warp_kernels",
        "warp_sync_sum",
        3,
        64,
        lambda rng: [small_ints(rng, 192), np.zeros(3, np.float32)],
        lambda args: assert_array_equal(args[1], args[0].reshape(3, 64).sum(1)),
        simulator=False,
    ),
]

# ---- control flow ------------------------------------------------------------------------------


def _collatz(n: int, limit: int) -> int:
    # Mirrors the kernel: the limit is checked after odd steps only.
    count = 0
    while n != 1:
        if n % 2 == 0:
            n //= 2
            count += 1
            continue
        n = 3 * n + 1
        count += 1
        if count >= limit:
            return -1
    return count


def _first_negative_args(rng):
    a = rng.integers(-3, 30, (50, 10)).astype(np.float32)
    return [a, np.zeros(50, np.int32)]


def _first_negative_check(args):
    a, out = args
    expected = [int(np.argmax(row < 0)) if (row < 0).any() else -1 for row in a]
    assert_array_equal(out, expected)


def _exit_then_barrier_check(args):
    a, out, n = args
    i = np.arange(100)
    neighbour = np.where(((i % 64) + 1 < 64) & (i + 1 < n), np.append(a[1:], 0)[:100], 0)
    assert_array_equal(out[:n], (a + neighbour)[:n])


def _tuples_args(rng):
    a = small_ints(rng, (50, 2))
    a[::7, 1] = a[::7, 0]  # some equal pairs
    return [a, np.zeros((50, 3), np.float32)]


def _tuples_check(args):
    a, out = args
    lo, hi = a.min(1), a.max(1)
    assert_array_equal(out, np.stack([lo, hi, np.where(lo == hi, -1.0, 1.0)], 1))


def _short_circuit_check(args):
    a, out, lo, hi = args
    positive = a > 0
    expected = positive * 1 + (positive & (lo <= a) & (a < hi)) * 10
    expected += (positive & ~((a > hi) | (a < lo))) * 100
    assert_array_equal(out, expected)


CONTROL = [
    Case(
        "while_break_continue",
        "control_kernels",
        "collatz_steps",
        4,
        32,
        lambda rng: [np.arange(1, 101, dtype=np.int64), np.zeros(100, np.int64), 100],
        lambda args: assert_array_equal(args[1], [_collatz(int(v), 100) for v in args[0]]),
    ),
    Case(
        "return_inside_loop",
        "control_kernels",
        "first_negative",
        2,
        32,
        _first_negative_args,
        _first_negative_check,
    ),
    Case(
        "per_thread_loop_bounds",
        "control_kernels",
        "triangle_sums",
        blocks(70, 32),
        32,
        lambda rng: [np.zeros(70, np.int64)],
        lambda args: assert_array_equal(args[0], np.arange(70) * np.arange(-1, 69) // 2),
    ),
    Case(
        "early_return_no_barrier",
        "control_kernels",
        "guarded_return",
        4,
        32,
        lambda rng: [small_ints(rng, 100), np.zeros(100, np.float32), 100],
        lambda args: assert_array_equal(args[1], 2 * args[0]),
    ),
    Case(
        "exited_threads_skip_barrier",
        "control_kernels",
        "exit_then_barrier",
        2,
        64,
        lambda rng: [small_ints(rng, 100), np.zeros(100, np.float32), 100],
        _exit_then_barrier_check,
    ),
    Case(
        "tuple_unpacking_conditional_expr",
        "control_kernels",
        "tuples_and_conditionals",
        2,
        32,
        _tuples_args,
        _tuples_check,
    ),
    Case(
        "chained_comparison_short_circuit",
        "control_kernels",
        "chained_and_short_circuit",
        4,
        32,
        lambda rng: [small_ints(rng, 100, low=-5, high=6), np.zeros(100, np.int32), 1.0, 3.0],
        _short_circuit_check,
    ),
]

WARP_CONTROL = WARP + CONTROL
