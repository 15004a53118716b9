"""What checks cost: five kernels timed against numpy, each launch in a fresh process.

Each row runs in its own child process per mode (checks on, checks off), as a learner's
notebook does: the kernel is compiled by a one-block launch on tiny arrays, then the first
launch at full size is timed (nothing at that size ran before it, so no allocation is hidden
by a warm-up), then the best of a few more launches ("steady"). Device arrays are made before
timing, so copies are not timed. Each child runs --runs times and the median is kept.

Targets: vector add 2^20 within 20x of numpy with checks on and within 10x with checks off;
every row's checks-on time within 3x of its checks-off time (first launch and steady).

Usage:
    python bench/simt_speed.py              # the table (a few minutes)
    python bench/simt_speed.py --runs 5     # more fresh processes per figure
    python bench/simt_speed.py --clock cpu  # the process's CPU time, not wall time: on a
                                            # machine other jobs load, waits for a core
                                            # drop out (page faults and the work stay)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from numba import float32

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root

from cudalike import config, cuda  # noqa: E402

TPB = 256
TILE = 16
BINS = 256
STEADY_REPEATS = 3
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
clock = CLOCKS["wall"]


def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i] + b[i]


def map_2d(a, out):
    row, col = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        out[row, col] = 2.0 * a[row, col] + 1.0


def matmul_tiled(A, B, C):
    sA = cuda.shared.array(shape=(TILE, TILE), dtype=float32)
    sB = cuda.shared.array(shape=(TILE, TILE), dtype=float32)
    col, row = cuda.grid(2)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    acc = float32(0)
    for t in range(A.shape[1] // TILE):
        sA[ty, tx] = A[row, t * TILE + tx]
        sB[ty, tx] = B[t * TILE + ty, col]
        cuda.syncthreads()
        for k in range(TILE):
            acc += sA[ty, k] * sB[k, tx]
        cuda.syncthreads()
    C[row, col] = acc


def block_sum(a, partial):
    s = cuda.shared.array(TPB, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    s[t] = a[i] if i < a.size else float32(0)
    cuda.syncthreads()
    stride = cuda.blockDim.x // 2
    while stride > 0:
        if t < stride:
            s[t] += s[t + stride]
        cuda.syncthreads()
        stride //= 2
    if t == 0:
        partial[cuda.blockIdx.x] = s[0]


def histogram(values, counts):
    i = cuda.grid(1)
    if i < values.size:
        cuda.atomic.add(counts, values[i], 1)


def _vector_add(n):
    rng = np.random.default_rng(0)
    a, b = rng.random(n, np.float32), rng.random(n, np.float32)
    out = np.zeros(n, np.float32)
    return vector_add, (a, b, out), -(-n // TPB), TPB, lambda: np.add(a, b, out=out), a + b


def _map_2d(n):
    a = np.random.default_rng(0).random((n, n), np.float32)
    out = np.zeros((n, n), np.float32)

    def numpy_twin():
        np.multiply(a, 2.0, out=out)
        np.add(out, 1.0, out=out)

    grid = (-(-n // TILE), -(-n // TILE))
    return map_2d, (a, out), grid, (TILE, TILE), numpy_twin, 2.0 * a + 1.0


def _matmul(n):
    rng = np.random.default_rng(0)
    A, B = rng.random((n, n), np.float32), rng.random((n, n), np.float32)
    C = np.zeros((n, n), np.float32)
    grid = (n // TILE, n // TILE)
    return matmul_tiled, (A, B, C), grid, (TILE, TILE), lambda: np.matmul(A, B, out=C), A @ B


def _reduction(n):
    a = np.random.default_rng(0).random(n, np.float32)
    partial = np.zeros(-(-n // TPB), np.float32)
    expected = a.reshape(-1, TPB).sum(axis=1)
    return block_sum, (a, partial), len(partial), TPB, lambda: a.reshape(-1, TPB).sum(1), expected


def _histogram(n):
    values = np.random.default_rng(0).integers(0, BINS, n).astype(np.int32)
    counts = np.zeros(BINS, np.int32)
    expected = np.bincount(values, minlength=BINS).astype(np.int32)
    return (
        histogram,
        (values, counts),
        -(-n // TPB),
        TPB,
        lambda: np.bincount(values, minlength=BINS),
        expected,
    )


ROWS = {
    "vector add": ("2^20", _vector_add, 2**20, 2**10),
    "2-D map": ("2048x2048", _map_2d, 2048, 32),
    "tiled matmul (shared)": ("N=256", _matmul, 256, 32),
    "block reduction": ("2^22", _reduction, 2**22, 2**10),
    "histogram (atomics)": ("2^20", _histogram, 2**20, 2**10),
}


def best_time(run, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = clock()
        run()
        best = min(best, clock() - start)
    return best


def measure(row: str, checks: bool) -> dict:
    """In this (fresh) process: compile on tiny arrays, then time the first full launch."""
    _, make, size, tiny = ROWS[row]
    with config.override(checks=checks):
        kernel, args, *_ = make(tiny)
        dispatcher = cuda.jit(kernel)
        dispatcher[1, ROWS_BLOCK[row]](*[cuda.to_device(x) for x in args])
        _, args, grid, block, numpy_twin, expected = make(size)
        device_args = [cuda.to_device(x) for x in args]
        launch = dispatcher[grid, block]

        def run():
            launch(*device_args)
            cuda.synchronize()

        first = best_time(run, 1)
        got = device_args[-1].copy_to_host()
        if row != "histogram (atomics)":  # counts accumulate over launches
            np.testing.assert_allclose(got, expected, rtol=1e-3, atol=1e-3)
        else:
            np.testing.assert_array_equal(got, expected)
        steady = best_time(run, STEADY_REPEATS)
    return {"first": first, "steady": steady, "numpy": best_time(numpy_twin, 5)}


ROWS_BLOCK = {
    "vector add": TPB,
    "2-D map": (TILE, TILE),
    "tiled matmul (shared)": (TILE, TILE),
    "block reduction": TPB,
    "histogram (atomics)": TPB,
}


def in_fresh_process(row: str, checks: bool, clock_name: str) -> dict:
    command = [sys.executable, __file__, "--child", row, "--checks", "on" if checks else "off"]
    command += ["--clock", clock_name]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def median_of(runs: list[dict]) -> dict:
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def fmt_time(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds * 1e9:.3g} ns"


def verdict(ok: bool, text: str) -> str:
    return f"{'PASS' if ok else 'FAIL':5} {text}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per figure")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--checks", choices=("on", "off"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--clock", choices=tuple(CLOCKS), default="wall", help="wall time or process CPU time"
    )
    options = parser.parse_args()
    global clock
    clock = CLOCKS[options.clock]
    if options.child:
        print(json.dumps(measure(options.child, options.checks == "on")))
        return

    results = {}
    for row in ROWS:
        on = median_of([in_fresh_process(row, True, options.clock) for _ in range(options.runs)])
        off = median_of([in_fresh_process(row, False, options.clock) for _ in range(options.runs)])
        results[row] = (min(on["numpy"], off["numpy"]), on, off)
        print(f"timed {row}", file=sys.stderr)

    print(
        f"\ncudalike check cost — Python {platform.python_version()}, numpy {np.__version__},"
        f" {os.cpu_count()} CPU cores, {platform.machine()}; {options.clock} time, median of"
        f" {options.runs} fresh processes\n"
    )
    print(
        "| workload | size | numpy | checks on, first | checks off, first | on / numpy "
        "| off / numpy | on / off (first) | on / off (steady) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for row, (numpy_time, on, off) in results.items():
        print(
            f"| {row} | {ROWS[row][0]} | {fmt_time(numpy_time)} | {fmt_time(on['first'])} "
            f"| {fmt_time(off['first'])} | {on['first'] / numpy_time:,.1f}x "
            f"| {off['first'] / numpy_time:,.1f}x | {on['first'] / off['first']:.2f}x "
            f"| {on['steady'] / off['steady']:.2f}x |"
        )
    numpy_time, on, off = results["vector add"]
    print()
    print(verdict(on["first"] <= 20 * numpy_time, "vector add 2^20 within 20x of numpy, checks on"))
    print(
        verdict(off["first"] <= 10 * numpy_time, "vector add 2^20 within 10x of numpy, checks off")
    )
    for row, (_, on, off) in results.items():
        worst = max(on["first"] / off["first"], on["steady"] / off["steady"])
        print(verdict(worst <= 3.0, f"{row}: checks on within 3x of checks off ({worst:.2f}x)"))


if __name__ == "__main__":
    main()
