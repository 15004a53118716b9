"""How fast the profiler answers at real sizes, and how far loop sampling moves its answer.

Boehm's five SGEMM kernels ("How to Optimize a CUDA Matmul Kernel": naive, coalesced, shared
tiles, 1-D and 2-D block tiling) at N=4096, and NVIDIA's transpose family (naive, shared tile,
padded tile) at 8192 x 8192, each profiled once as a lesson would: `profiler.profile(
sample_blocks=16)` with loop sampling on (the default). Target: at most 15 s each.

Beside each, the modelled time with loop sampling on is compared with `sample_loops=False`
(every iteration counted) at a size where the latter is affordable (N=1024), and at N=4096 for
the shared-tile kernel. Target: within 5%.

Usage:
    python bench/profiler_speed.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from numba import float32

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root

from cudalike import config, cuda, profiler  # noqa: E402
from tests.cudalike.model.files import lesson_kernels  # noqa: E402

SAMPLE_BLOCKS = 16
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
    tile = lesson_kernels.MM_TILE
    return [
        ("sgemm1 naive", lessons.sgemm1_naive, lambda n: ((n // tile, n // tile), (tile, tile))),
        (
            "sgemm2 coalesced",
            lessons.sgemm2_coalesced,
            lambda n: ((n // tile, n // tile), (tile, tile)),
        ),
        ("sgemm3 shared", lessons.sgemm3_shared, lambda n: ((n // tile, n // tile), (tile, tile))),
        (
            "sgemm4 1-D tiles",
            lessons.sgemm4_blocktile_1d,
            lambda n: (
                (n // lesson_kernels.BN, n // lesson_kernels.BM),
                (lesson_kernels.BM * lesson_kernels.BN // lesson_kernels.TM,),
            ),
        ),
        ("sgemm5 2-D tiles", sgemm5_blocktile_2d, lambda n: ((n // BN2, n // BM2), (THREADS2,))),
    ]


def transpose_cases(lessons):
    tile, rows = lesson_kernels.TILE, lesson_kernels.BLOCK_ROWS
    shape = lambda n: ((n // tile, n // tile), (tile, rows))  # noqa: E731
    return [
        ("transpose naive", lessons.transpose_naive, shape),
        ("transpose shared", lessons.transpose_tile, shape),
        ("transpose padded", lessons.transpose_padded, shape),
    ]


def profiled(kernel, geometry, arrays, sample_loops: bool) -> tuple[float, float, int]:
    """(modelled microseconds, wall seconds, loop runs extrapolated) of one profiled launch."""
    grid, block = geometry
    start = time.perf_counter()
    with profiler.profile(sample_blocks=SAMPLE_BLOCKS, sample_loops=sample_loops) as prof:
        kernel[grid, block](*arrays)
    record = prof.launches[0]
    return record.time_us, time.perf_counter() - start, record.sampled_loops


def device_arrays(kind: str, n: int):
    rng = np.random.default_rng(0)
    if kind == "sgemm":
        host = [rng.random((n, n), np.float32) for _ in range(2)] + [np.zeros((n, n), np.float32)]
    else:
        host = [rng.random((n, n), np.float32), np.zeros((n, n), np.float32)]
    return [cuda.to_device(x) for x in host]


def main() -> int:
    lessons = lesson_kernels.load()
    cases = [("sgemm", 4096, 1024, *c) for c in sgemm_cases(lessons)]
    cases += [("transpose", 8192, 1024, *c) for c in transpose_cases(lessons)]
    long_reference = {"sgemm3 shared"}  # also compared at full size, with a long budget
    header = (
        f"{'kernel':<18} {'size':>5} {'model us':>11} {'wall s':>7} {'loops':>5} "
        f"{'ref size':>8} {'sampled/full':>12} {'ref wall s':>10}"
    )
    print(f"profile(sample_blocks={SAMPLE_BLOCKS}), H100 model; 'full' is sample_loops=False")
    print(header)
    print("-" * len(header))
    failures = []
    for kind, size, small, name, function, shape in cases:
        kernel = cuda.jit(function)
        arrays = device_arrays(kind, size)
        time_us, wall, loops = profiled(kernel, shape(size), arrays, True)
        references = [small] + ([size] if name in long_reference else [])
        if wall > TARGET_SECONDS:
            failures.append(f"{name}: {wall:.1f} s")
        for k, ref_size in enumerate(references):
            ref_arrays = arrays if ref_size == size else device_arrays(kind, ref_size)
            sampled_us = time_us if ref_size == size else None
            if sampled_us is None:
                sampled_us, _, _ = profiled(kernel, shape(ref_size), ref_arrays, True)
            with config.override(time_budget_s=3600.0):
                full_us, ref_wall, _ = profiled(kernel, shape(ref_size), ref_arrays, False)
            ratio = sampled_us / full_us
            if abs(ratio - 1.0) > TARGET_RATIO:
                failures.append(f"{name} at {ref_size}: ratio {ratio:.3f}")
            first = k == 0
            print(
                f"{name if first else '':<18} {size if first else '':>5} "
                f"{f'{time_us:,.1f}' if first else '':>11} {f'{wall:.1f}' if first else '':>7} "
                f"{loops if first else '':>5} {ref_size:>8} {ratio:>12.4f} {ref_wall:>10.1f}"
            )
    print()
    print("all within targets" if not failures else "missed: " + "; ".join(failures))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
