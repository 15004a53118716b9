"""The cost of observing: a profiled launch against the same launch unprofiled, checks on.

Issue 3's target: a profiled launch takes at most 3x the time of the same launch unprofiled
with checks on. Both columns are measured side by side in one run (best of a few repeats after
a warm-up), on the workloads of bench/simt_speed.py plus two lesson kernels.

Usage:
    python bench/profiler_overhead.py
"""

from __future__ import annotations

import functools
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root

from cudalike import cuda, profiler  # noqa: E402
from tests.cudalike.simt import kernels  # noqa: E402

TARGET = 3.0


def best_time(run, repeats: int = 5) -> float:
    run()  # warm-up: compiles the plain or the counting program
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def workloads():
    rng = np.random.default_rng(0)
    for n in (2**16, 2**20):
        a, b = rng.random(n, np.float32), rng.random(n, np.float32)
        args = [cuda.to_device(x) for x in (a, b, np.zeros(n, np.float32))]
        yield (
            "vector add",
            f"2^{n.bit_length() - 1}",
            "basic_kernels",
            "vector_add",
            -(-n // 256),
            256,
            args,
        )
    for n in (128, 256):
        A, B = rng.random((n, n), np.float32), rng.random((n, n), np.float32)
        args = [cuda.to_device(x) for x in (A, B, np.zeros((n, n), np.float32))]
        yield (
            "tiled matmul",
            f"N={n}",
            "matmul_kernels",
            "matmul_tiled",
            (n // 16, n // 16),
            (16, 16),
            args,
        )


def _profiled(launch, args) -> None:
    with profiler.profile():
        launch(*args)


def main() -> None:
    print("cudalike profiler overhead (checks on; best of 5 after a warm-up)\n")
    print("| workload | size | unprofiled | profiled | profiled / unprofiled | target |")
    print("|---|---|---|---|---|---|")
    worst = 0.0
    for name, size, file, kernel_name, grid, block, args in workloads():
        launch = kernels.jit(file, kernel_name)[grid, block]
        unprofiled = best_time(functools.partial(launch, *args))
        observed = best_time(functools.partial(_profiled, launch, args))
        ratio = observed / unprofiled
        worst = max(worst, ratio)
        verdict = "PASS" if ratio <= TARGET else "FAIL"
        print(
            f"| {name} | {size} | {unprofiled * 1e3:.1f} ms | {observed * 1e3:.1f} ms | "
            f"{ratio:.2f}x | {verdict} (<= {TARGET:g}x) |"
        )
    print(f"\nworst ratio {worst:.2f}x: {'PASS' if worst <= TARGET else 'FAIL'}")


if __name__ == "__main__":
    main()
