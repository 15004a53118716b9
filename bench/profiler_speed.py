"""How fast the profiler answers at real sizes with its default settings, and how far its
sampling moves the answer.

Boehm's five SGEMM kernels ("How to Optimize a CUDA Matmul Kernel": naive, coalesced, shared
tiles, 1-D and 2-D block tiling) at N=4096, and NVIDIA's transpose family (naive, shared tile,
padded tile) at 8192 x 8192, each profiled once as a learner would: `profiler.profile()` with
no arguments (block sampling "auto", loop sampling on). Target: at most 15 s each, and the
launch must have been sampled automatically.

Beside each, the default's modelled time is compared with a run with no sampling at all
(`sample_blocks=None, sample_loops=False`: every block, every iteration counted) at the
smallest size where the default still samples, so that the reference stays affordable.
Target: within 5%.

Usage:
    python bench/profiler_speed.py
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np
from numba import float32

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root

from cudalike import config, cuda, profiler  # noqa: E402
from tests.cudalike.model.files import lesson_kernels  # noqa: E402

TARGET_SECONDS = 15.0
TARGET_RATIO = 0.05

# Boehm's kernel 5 (2-D block tiling): a 128 x 128 block tile, K-slices of 8, each of 256
# threads computing an 8 x 8 square of results from registers.
BM2 = 128
BN2 = 128
BK2 = 8
TM2 = 8
TN2 = 8
THREADS2 = (BM2 * BN2) // (TM2 * TN2)


def sgemm5_blocktile_2d(A, B, C):
    sA = cuda.shared.array((BM2, BK2), float32)
    sB = cuda.shared.array((BK2, BN2), float32)
    results = cuda.local.array(TM2 * TN2, float32)
    reg_m = cuda.local.array(TM2, float32)
    reg_n = cuda.local.array(TN2, float32)
    t = cuda.threadIdx.x
    thread_col = t % (BN2 // TN2)
    thread_row = t // (BN2 // TN2)
    a_row = t // BK2
    a_col = t % BK2
    b_row = t // BN2
    b_col = t % BN2
    row0 = cuda.blockIdx.y * BM2
    col0 = cuda.blockIdx.x * BN2
    for i in range(TM2 * TN2):
        results[i] = float32(0)
    for bk in range(0, A.shape[1], BK2):
        for off in range(0, BM2, THREADS2 // BK2):
            sA[a_row + off, a_col] = A[row0 + a_row + off, bk + a_col]
        for off in range(0, BK2, THREADS2 // BN2):
            sB[b_row + off, b_col] = B[bk + b_row + off, col0 + b_col]
        cuda.syncthreads()
        for d in range(BK2):
            for i in range(TM2):
                reg_m[i] = sA[thread_row * TM2 + i, d]
            for i in range(TN2):
                reg_n[i] = sB[d, thread_col * TN2 + i]
            for m in range(TM2):
                for n in range(TN2):
                    results[m * TN2 + n] += reg_m[m] * reg_n[n]
        cuda.syncthreads()
    for m in range(TM2):
        for n in range(TN2):
            C[row0 + thread_row * TM2 + m, col0 + thread_col * TN2 + n] = results[m * TN2 + n]


def sgemm_cases(lessons):
    """(name, kernel, geometry for a size, reference size) of Boehm's five kernels."""
    tile = lesson_kernels.MM_TILE
    square = lambda n: ((n // tile, n // tile), (tile, tile))  # noqa: E731
    return [
        ("sgemm1 naive", lessons.sgemm1_naive, square, 512),
        ("sgemm2 coalesced", lessons.sgemm2_coalesced, square, 512),
        ("sgemm3 shared", lessons.sgemm3_shared, square, 1024),
        (
            "sgemm4 1-D tiles",
            lessons.sgemm4_blocktile_1d,
            lambda n: (
                (n // lesson_kernels.BN, n // lesson_kernels.BM),
                (lesson_kernels.BM * lesson_kernels.BN // lesson_kernels.TM,),
            ),
            1024,
        ),
        (
            "sgemm5 2-D tiles",
            sgemm5_blocktile_2d,
            lambda n: ((n // BN2, n // BM2), (THREADS2,)),
            1024,
        ),
    ]


def transpose_cases(lessons):
    tile, rows = lesson_kernels.TILE, lesson_kernels.BLOCK_ROWS
    shape = lambda n: ((n // tile, n // tile), (tile, rows))  # noqa: E731
    return [
        ("transpose naive", lessons.transpose_naive, shape, 4096),
        ("transpose shared", lessons.transpose_tile, shape, 8192),
        ("transpose padded", lessons.transpose_padded, shape, 8192),
    ]


def profiled(kernel, geometry, arrays, **options):
    """(record, wall seconds) of one profiled launch."""
    grid, block = geometry
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", profiler.SampledLaunchWarning)
        with profiler.profile(**options) as prof:
            kernel[grid, block](*arrays)
    return prof.launches[0], time.perf_counter() - start


def blocks(record) -> str:
    total = record.griddim[0] * record.griddim[1] * record.griddim[2]
    return f"{record.sampled_blocks or total}/{total}"


def device_arrays(kind: str, n: int):
    rng = np.random.default_rng(0)
    if kind == "sgemm":
        host = [rng.random((n, n), np.float32) for _ in range(2)] + [np.zeros((n, n), np.float32)]
    else:
        host = [rng.random((n, n), np.float32), np.zeros((n, n), np.float32)]
    return [cuda.to_device(x) for x in host]


def main() -> int:
    lessons = lesson_kernels.load()
    cases = [("sgemm", 4096, *c) for c in sgemm_cases(lessons)]
    cases += [("transpose", 8192, *c) for c in transpose_cases(lessons)]
    header = (
        f"{'kernel':<18} {'size':>5} {'model us':>11} {'blocks run':>12} {'wall s':>7} "
        f"{'loops':>5} {'ref size':>8} {'blocks run':>12} {'default/none':>12} "
        f"{'ref wall s':>10}"
    )
    print("profile() defaults, H100 model; 'none' is sample_blocks=None, sample_loops=False")
    print(header)
    print("-" * len(header))
    failures = []
    for kind, size, name, function, shape, ref_size in cases:
        kernel = cuda.jit(function)
        record, wall = profiled(kernel, shape(size), device_arrays(kind, size))
        if wall > TARGET_SECONDS:
            failures.append(f"{name}: {wall:.1f} s")
        if not record.sampled:
            failures.append(f"{name}: not sampled at {size}")
        ref_arrays = device_arrays(kind, ref_size)
        default, _ = profiled(kernel, shape(ref_size), ref_arrays)
        if not default.sampled:
            failures.append(f"{name}: not sampled at {ref_size}, nothing compared")
        with config.override(time_budget_s=3600.0):
            full, ref_wall = profiled(
                kernel, shape(ref_size), ref_arrays, sample_blocks=None, sample_loops=False
            )
        ratio = default.time_us / full.time_us
        if abs(ratio - 1.0) > TARGET_RATIO:
            failures.append(f"{name} at {ref_size}: ratio {ratio:.3f}")
        print(
            f"{name:<18} {size:>5} {record.time_us:>11,.1f} {blocks(record):>12} {wall:>7.1f} "
            f"{record.sampled_loops:>5} {ref_size:>8} {blocks(default):>12} {ratio:>12.4f} "
            f"{ref_wall:>10.1f}",
            flush=True,
        )
    print()
    print("all within targets" if not failures else "missed: " + "; ".join(failures))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
