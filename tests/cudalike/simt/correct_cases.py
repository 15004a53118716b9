"""Launches of the correct kernels in files/, each with its inputs and a numpy oracle.

Warp-level and control-flow cases are in warp_control_cases.py, language edges in
edge_cases.py; test_correct_kernels.ALL_CASES joins them. The lists serve three uses:
test_correct_kernels.py runs every case on cudalike with checks on
(a correct kernel must give numpy's answer and no report); test_vs_numba_simulator.py runs the
cases numba's simulator can run on both runtimes and compares; kernels.run_on_simulator can run
them alone, which is how the kernels themselves were validated.

Inputs are mostly integer-valued floats so sums are exact and results can be compared exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.testing import assert_allclose, assert_array_equal


@dataclass
class Case:
    """kernel[griddim, blockdim, 0, sharedmem](*make_args(rng)), then check(args).

    Attributes:
        simulator: False where the kernel needs what numba's simulator lacks (shuffles, votes,
            lane masks, syncwarp).
    """

    id: str
    file: str
    kernel: str
    griddim: object
    blockdim: object
    make_args: Callable[[np.random.Generator], list]
    check: Callable[[list], None]
    sharedmem: int = 0
    simulator: bool = True


def blocks(n: int, per_block: int) -> int:
    """Blocks needed to cover n items with per_block threads each."""
    return (n + per_block - 1) // per_block


def small_ints(rng, shape, dtype=np.float32, low=-8, high=8):
    """Integer values stored as floats: sums of them are exact in float32."""
    return rng.integers(low, high, size=shape).astype(dtype)


def f32(value) -> np.float32:
    return np.float32(value)


# ---- elementwise -----------------------------------------------------------------------------


def _float32_accumulate_oracle(a):
    acc = np.zeros_like(a)
    for _ in range(100):
        acc += a * np.float32(0.1)  # numpy float32 arrays round each step to float32
    return acc


def _fnv_oracle(a):
    h = np.full(a.shape[0], 2166136261, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for k in range(a.shape[1]):
            h = (h ^ a[:, k].astype(np.uint32)) * np.uint32(16777619)
    return h


def _math_oracle(a):
    erf = np.vectorize(math.erf)
    return np.stack([np.sqrt(a), np.exp(-a), np.sin(a), np.floor(a), erf(a)], axis=1)


ELEMENTWISE = [
    Case(
        "vector_add",
        "basic_kernels",
        "vector_add",
        blocks(1000, 128),
        128,
        lambda rng: [small_ints(rng, 1000), small_ints(rng, 1000), np.zeros(1000, np.float32)],
        lambda args: assert_array_equal(args[2], args[0] + args[1]),
    ),
    Case(
        "saxpy",
        "basic_kernels",
        "saxpy",
        blocks(777, 64),
        64,
        lambda rng: [
            f32(2.5),
            small_ints(rng, 777),
            small_ints(rng, 777),
            np.zeros(777, np.float32),
        ],
        lambda args: assert_array_equal(args[3], args[0] * args[1] + args[2]),
    ),
    Case(
        "map_2d",
        "basic_kernels",
        "map_2d",
        (blocks(37, 8), blocks(21, 8)),
        (8, 8),
        lambda rng: [small_ints(rng, (37, 21)), np.zeros((37, 21), np.float32), f32(2.0)],
        lambda args: assert_array_equal(
            args[1], args[0] * 2 + np.arange(37)[:, None] - np.arange(21)[None, :]
        ),
    ),
    Case(
        "dim3_as_value",
        "basic_kernels",
        "dim3_values",
        blocks(100, 32),
        32,
        lambda rng: [np.zeros(100, np.int64)],
        lambda args: assert_array_equal(args[0], np.arange(100) + 2),
    ),
    Case(
        "grid_stride_scale",
        "basic_kernels",
        "grid_stride_scale",
        2,
        64,
        lambda rng: [small_ints(rng, 1000), np.zeros(1000, np.float32), f32(3.0)],
        lambda args: assert_array_equal(args[1], args[0] * 3),
    ),
    Case(
        "device_function",
        "basic_kernels",
        "clamp_kernel",
        blocks(300, 64),
        64,
        lambda rng: [
            rng.standard_normal(300).astype(np.float32),
            np.zeros(300, np.float32),
            -0.5,
            0.5,
        ],
        lambda args: assert_array_equal(args[1], np.clip(args[0], -0.5, 0.5)),
    ),
    Case(
        "module_globals",
        "basic_kernels",
        "use_globals",
        blocks(100, 32),
        32,
        lambda rng: [np.zeros(100)],
        lambda args: assert_array_equal(args[0], np.arange(100) * 3.0 + 7),
    ),
    Case(
        "math_functions",
        "basic_kernels",
        "math_functions",
        blocks(200, 64),
        64,
        lambda rng: [rng.uniform(0, 4, 200), np.zeros((200, 5))],
        lambda args: assert_allclose(args[1], _math_oracle(args[0]), rtol=1e-12, atol=1e-15),
    ),
    Case(
        "builtins_min_max_abs",
        "basic_kernels",
        "builtins_kernel",
        blocks(200, 64),
        64,
        lambda rng: [rng.standard_normal(200), np.zeros(200), -1.0, 1.0],
        lambda args: assert_array_equal(args[1], np.clip(args[0], -1, 1) + np.abs(args[0])),
    ),
    Case(
        "float32_stays_float32",
        "basic_kernels",
        "float32_accumulate",
        blocks(300, 64),
        64,
        lambda rng: [rng.uniform(-10, 10, 300).astype(np.float32), np.zeros(300, np.float32)],
        lambda args: assert_array_equal(args[1], _float32_accumulate_oracle(args[0])),
    ),
    Case(
        "int32_wraparound",
        "basic_kernels",
        "int32_wrap",
        blocks(300, 64),
        64,
        lambda rng: [
            rng.integers(-(2**31), 2**31, 300, dtype=np.int64).astype(np.int32),
            np.zeros(300, np.int32),
        ],
        lambda args: assert_array_equal(
            args[1], (args[0].astype(np.int64) * 65536 + 1).astype(np.uint32).view(np.int32)
        ),
    ),
    Case(
        "uint32_hash_wraps",
        "basic_kernels",
        "fnv_hash",
        blocks(50, 32),
        32,
        lambda rng: [rng.integers(0, 256, (50, 8)).astype(np.uint8), np.zeros(50, np.uint32)],
        lambda args: assert_array_equal(args[1], _fnv_oracle(args[0])),
    ),
]

# ---- matrices ----------------------------------------------------------------------------------

M, K, N = 37, 45, 29


def _matmul_args(rng):
    return [
        small_ints(rng, (M, K), low=-4, high=4),
        small_ints(rng, (K, N), low=-4, high=4),
        np.zeros((M, N), np.float32),
    ]


def _matmul_check(args):
    assert_array_equal(args[2], args[0] @ args[1])


def _transpose_args(rng):
    return [small_ints(rng, (45, 70)), np.zeros((70, 45), np.float32)]


MATRICES = [
    Case(
        "matmul_naive",
        "matmul_kernels",
        "matmul_naive",
        (blocks(M, 8), blocks(N, 8)),
        (8, 8),
        _matmul_args,
        _matmul_check,
    ),
    Case(
        "matmul_coalesced",
        "matmul_kernels",
        "matmul_coalesced",
        (blocks(N, 8), blocks(M, 8)),
        (8, 8),
        _matmul_args,
        _matmul_check,
    ),
    Case(
        "matmul_tiled",
        "matmul_kernels",
        "matmul_tiled",
        (blocks(N, 16), blocks(M, 16)),
        (16, 16),
        _matmul_args,
        _matmul_check,
    ),
    Case(
        "transpose_padded",
        "matmul_kernels",
        "transpose_padded",
        (blocks(70, 32), blocks(45, 32)),
        (32, 8),
        _transpose_args,
        lambda args: assert_array_equal(args[1], args[0].T),
    ),
]

# ---- block-cooperative -------------------------------------------------------------------------


def _per_block(a, block, reduce):
    padded = np.zeros(blocks(a.size, block) * block, a.dtype)
    padded[: a.size] = a
    return reduce(padded.reshape(-1, block))


def _histogram_args(rng):
    return [rng.integers(0, 16, 1000).astype(np.int32), np.zeros(16, np.int32)]


COOPERATIVE = [
    Case(
        "tree_reduction",
        "reduction_kernels",
        "block_sum",
        blocks(1000, 128),
        128,
        lambda rng: [small_ints(rng, 1000), np.zeros(blocks(1000, 128), np.float32)],
        lambda args: assert_array_equal(args[1], _per_block(args[0], 128, lambda b: b.sum(1))),
    ),
    Case(
        "histogram_shared_atomics",
        "reduction_kernels",
        "histogram",
        4,
        64,
        _histogram_args,
        lambda args: assert_array_equal(args[1], np.bincount(args[0], minlength=16)),
    ),
    Case(
        "block_scan",
        "reduction_kernels",
        "block_inclusive_scan",
        blocks(300, 64),
        64,
        lambda rng: [small_ints(rng, 300), np.zeros(300, np.float32)],
        lambda args: assert_array_equal(
            args[1], _per_block(args[0], 64, lambda b: b.cumsum(1)).ravel()[:300]
        ),
    ),
    Case(
        "stencil_halo",
        "reduction_kernels",
        "stencil_1d",
        blocks(300, 64),
        64,
        lambda rng: [small_ints(rng, 300), np.zeros(300, np.float32)],
        lambda args: assert_array_equal(args[1], np.convolve(args[0], np.ones(7), "same")),
    ),
]

# ---- memory spaces and atomics -----------------------------------------------------------------


def _compact_check(args):
    a, out, counter = args
    positive = np.sort(a[a > 0])
    assert counter[0] == positive.size
    assert_array_equal(np.sort(out[: positive.size]), positive)


def _atomic_args(rng):
    vals = rng.integers(-1000, 1000, 200).astype(np.int32)
    ires = np.array([-(2**31), 2**31 - 1, 0, -1, 0, 0, 0], np.int32)
    return [
        vals,
        ires,
        np.zeros(2, np.uint32),
        np.zeros(1, np.int32),
        np.full(200, -7, np.int32),
        np.zeros(1, np.int32),
        np.full(200, -7, np.int32),
    ]


def _atomic_check(args):
    vals, ires, ures, flag, cas_old, swap_flag, swap_old = args
    assert ires[0] == vals.max() and ires[1] == vals.min()
    assert ires[2] == -vals.sum()
    assert ires[3] == np.bitwise_and.reduce(vals) and ires[4] == np.bitwise_or.reduce(vals)
    assert ires[5] == np.bitwise_xor.reduce(vals)
    assert ires[6] in vals
    assert ures[0] == 200 % 6  # inc wraps to 0 after reaching 5
    assert ures[1] == (-200) % 6  # dec: 0 -> 5 -> 4 ...
    winners = np.flatnonzero(cas_old == 0)
    assert winners.size == 1 and flag[0] == winners[0] + 1
    assert np.all(cas_old[cas_old != 0] == flag[0])
    winners = np.flatnonzero(swap_old == 0)
    assert winners.size == 1 and swap_flag[0] == winners[0] + 1


MEMORY = [
    Case(
        "dynamic_shared",
        "memory_kernels",
        "dynamic_shared_reverse",
        4,
        64,
        lambda rng: [small_ints(rng, 256), np.zeros(256, np.float32)],
        lambda args: assert_array_equal(args[1], args[0].reshape(4, 64)[:, ::-1].ravel()),
        sharedmem=64 * 4,
    ),
    Case(
        "local_array_sort",
        "memory_kernels",
        "local_sort4",
        blocks(100, 32),
        32,
        lambda rng: [small_ints(rng, (100, 4)), np.zeros((100, 4), np.float32)],
        lambda args: assert_array_equal(args[1], np.sort(args[0], axis=1)),
    ),
    Case(
        "const_array_like",
        "memory_kernels",
        "weighted_blur",
        blocks(100, 32),
        32,
        lambda rng: [small_ints(rng, 100), np.zeros(100, np.float32)],
        lambda args: assert_array_equal(
            args[1][1:-1], 0.25 * args[0][:-2] + 0.5 * args[0][1:-1] + 0.25 * args[0][2:]
        ),
    ),
    Case(
        "atomic_add_unique_slots",
        "memory_kernels",
        "compact_positive",
        blocks(500, 64),
        64,
        lambda rng: [small_ints(rng, 500), np.zeros(500, np.float32), np.zeros(1, np.int32)],
        _compact_check,
    ),
    Case("atomics_all_kinds", "memory_kernels", "atomic_ops", 4, 64, _atomic_args, _atomic_check),
]

CASES = ELEMENTWISE + MATRICES + COOPERATIVE + MEMORY
