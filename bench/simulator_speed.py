"""How fast cudalike runs kernels: one table against numpy and numba's CUDA simulator.

(What checks cost on a first launch, in fresh processes, is bench/simt_speed.py.)

Workloads (same kernel source for cudalike and the simulator, from tests/cudalike/simt/files/):
vector add at 2^14..2^20 elements (256 threads per block) and the shared-memory tiled matmul at
N = 32..256 (16 x 16 tiles), float32. Each cudalike mode is warmed up (the first launch
compiles), then timed as the best of a few repeats, with device arrays so copies are not timed.

numba's simulator starts one OS thread per CUDA thread: it runs in a child process with
NUMBA_ENABLE_CUDASIM=1, smallest sizes first, while --sim-budget seconds last; a size it would
not finish in what is left is printed as "skipped (budget)", never estimated. --full runs all.

Usage:
    python bench/simulator_speed.py                  # about a minute of simulator time
    python bench/simulator_speed.py --full           # every simulator size (many minutes)
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root

from cudalike import config, cuda  # noqa: E402
from tests.cudalike.simt import kernels  # noqa: E402

VECTOR_SIZES = [2**14, 2**16, 2**18, 2**20]
MATMUL_SIZES = [32, 64, 128, 256]
VECTOR_BLOCK = 256
TILE = 16


def best_time(run, repeats: int) -> float:
    """Best seconds per call over `repeats` batches; a batch lasts at least 20 ms."""
    start = time.perf_counter()
    run()
    once = time.perf_counter() - start
    number = max(1, int(0.02 / max(once, 1e-9)))
    best = once
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            run()
        best = min(best, (time.perf_counter() - start) / number)
    return best


class Workload:
    """One kernel at one size: its inputs, its numpy twin and its launch geometry."""

    def __init__(self, kind: str, size: int):
        rng = np.random.default_rng(0)
        self.kind, self.size = kind, size
        if kind == "vector add":
            self.label = f"2^{size.bit_length() - 1}"
            self.file, self.kernel = "basic_kernels", "vector_add"
            a, b = rng.random(size, np.float32), rng.random(size, np.float32)
            self.inputs, self.out = [a, b], np.zeros(size, np.float32)
            self.griddim, self.blockdim = -(-size // VECTOR_BLOCK), VECTOR_BLOCK
            self.numpy = lambda: np.add(a, b, out=self.out)
            self.expected = a + b
        else:
            self.label = f"N={size}"
            self.file, self.kernel = "matmul_kernels", "matmul_tiled"
            A, B = rng.random((size, size), np.float32), rng.random((size, size), np.float32)
            self.inputs, self.out = [A, B], np.zeros((size, size), np.float32)
            blocks = -(-size // TILE)
            self.griddim, self.blockdim = (blocks, blocks), (TILE, TILE)
            self.numpy = lambda: np.matmul(A, B, out=self.out)
            self.expected = A @ B

    def simulator_job(self) -> kernels.Job:
        args = [*self.inputs, np.zeros_like(self.out)]
        return kernels.Job(self.file, self.kernel, self.griddim, self.blockdim, args)

    def time_cudalike(self, checks: bool, repeats: int) -> float:
        kernel = kernels.jit(self.file, self.kernel)
        device_args = [cuda.to_device(x) for x in (*self.inputs, np.zeros_like(self.out))]

        def launch():
            kernel[self.griddim, self.blockdim](*device_args)
            cuda.synchronize()

        with config.override(checks=checks):
            launch()  # warm-up: the first launch compiles
            got = device_args[-1].copy_to_host()
            np.testing.assert_allclose(got, self.expected, rtol=1e-4, atol=1e-4)
            return best_time(launch, repeats)


def run_simulator(workloads, budget: float, full: bool) -> dict:
    """Simulator seconds per (kind, size), or a reason string; cheapest first, within budget."""
    results, last, spent = {}, {}, 0.0
    growth = {"vector add": 4.0, "tiled matmul": 8.0}  # work grows 4x (n) or 8x (N^3) a step
    # Order by rough simulator cost (about 0.1 ms per thread; a matmul thread does N/16 tiles).
    for work in sorted(
        workloads, key=lambda w: w.size if w.kind == "vector add" else w.size**3 / 4
    ):
        key = (work.kind, work.size)
        left = budget - spent
        previous = last.get(work.kind, 0.0)
        if not full and (left <= 0 or previous == "stop" or previous * growth[work.kind] > left):
            results[key] = "skipped (budget)"
            continue
        start = time.perf_counter()
        try:
            (result,) = kernels.run_on_simulator([work.simulator_job()], None if full else left)
        except subprocess.TimeoutExpired:
            results[key], last[work.kind] = "skipped (budget)", "stop"
            spent += time.perf_counter() - start
            continue
        spent += time.perf_counter() - start
        if result.error:
            results[key] = f"error: {result.error[:40]}"
            last[work.kind] = "stop"
            continue
        results[key] = result.seconds
        last[work.kind] = result.seconds
    return results


def fmt_time(seconds) -> str:
    if isinstance(seconds, str):
        return seconds
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds * 1e9:.3g} ns"


def fmt_ratio(top, bottom) -> str:
    if isinstance(top, str) or isinstance(bottom, str):
        return "-"
    return f"{top / bottom:,.0f}x" if top / bottom >= 100 else f"{top / bottom:.3g}x"


def verdict(ok: bool | None, text: str) -> str:
    mark = "NOT MEASURED" if ok is None else ("PASS" if ok else "FAIL")
    return f"{mark:12} {text}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sim-budget",
        type=float,
        default=60.0,
        help="seconds of numba-simulator time in all (default 60)",
    )
    parser.add_argument("--full", action="store_true", help="run the simulator at every size")
    parser.add_argument("--repeats", type=int, default=3, help="timed repeats (best is kept)")
    options = parser.parse_args()

    workloads = [Workload("vector add", n) for n in VECTOR_SIZES]
    workloads += [Workload("tiled matmul", n) for n in MATMUL_SIZES]
    rows = {}
    for work in workloads:
        rows[(work.kind, work.size)] = {
            "numpy": best_time(work.numpy, options.repeats),
            "on": work.time_cudalike(True, options.repeats),
            "off": work.time_cudalike(False, options.repeats),
        }
        print(f"timed {work.kind} {work.label}", file=sys.stderr)
    reason = kernels.simulator_available()
    sim = {} if reason else run_simulator(workloads, options.sim_budget, options.full)
    for key, row in rows.items():
        row["sim"] = sim.get(key, f"unavailable ({reason})" if reason else "-")

    import numba

    print(
        f"\ncudalike SIMT speed — Python {platform.python_version()}, numpy {np.__version__},"
        f" numba {numba.__version__}, {os.cpu_count()} CPU cores, {platform.machine()}\n"
    )
    print(
        "| workload | size | numpy | cudalike checks on | cudalike checks off "
        "| numba simulator | on / numpy | off / numpy | simulator / on |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for work in workloads:
        row = rows[(work.kind, work.size)]
        print(
            f"| {work.kind} | {work.label} | {fmt_time(row['numpy'])} | {fmt_time(row['on'])} "
            f"| {fmt_time(row['off'])} | {fmt_time(row['sim'])} "
            f"| {fmt_ratio(row['on'], row['numpy'])} | {fmt_ratio(row['off'], row['numpy'])} "
            f"| {fmt_ratio(row['sim'], row['on'])} |"
        )

    def sim_speedup(key):
        row = rows[key]
        return None if isinstance(row["sim"], str) else row["sim"] / row["on"]

    v18, m128 = sim_speedup(("vector add", 2**18)), sim_speedup(("tiled matmul", 128))
    v20, m256 = rows[("vector add", 2**20)], rows[("tiled matmul", 256)]
    print("\nTargets:")
    print(
        verdict(
            None if v18 is None else v18 >= 1000,
            ">= 1000x faster than the simulator, vector add 2^18, checks on",
        )
    )
    print(
        verdict(
            None if m128 is None else m128 >= 1000,
            ">= 1000x faster than the simulator, tiled matmul N=128, checks on",
        )
    )
    print(
        verdict(v20["off"] <= 20 * v20["numpy"], "vector add 2^20 within 20x of numpy, checks off")
    )
    print(verdict(v20["on"] <= 60 * v20["numpy"], "vector add 2^20 within 60x of numpy, checks on"))
    print(verdict(m256["on"] < 2.0, "tiled matmul N=256 under 2 s, checks on"))
    if v18 is None or m128 is None:
        print("(simulator sizes skipped by the budget: rerun with --full or a larger --sim-budget)")


if __name__ == "__main__":
    main()
