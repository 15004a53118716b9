"""The vector tier against the compiled tier and a plain numba @njit version of each algorithm.

Rows: Boehm's five SGEMM kernels ("How to Optimize a CUDA Matmul Kernel": naive, coalesced,
shared tiles, 1-D and 2-D block tiling) at N=512 and 1024, Harris's reductions over 2**24
floats (kernels 1, 2, 3, 4, 5 and 7, each with the reduction lesson's grid), a 5-point 2-D
stencil on 4096 x 4096 and a shared-memory privatised histogram of 2**24 values, a weighted
histogram (float atomics on global memory), a polynomial evaluated through a device function,
warp sums by shuffles (`shfl_xor_sync` butterflies), Mandelbrot escape times through a device
function with a loop, and the softmax_rows exercise's reference (shared-memory reductions,
`math.exp`). Each runs with checks on and off under `config.override(tier=...)`; the compiled
tier is timed on a launch after the one that compiled it (numba's compile time is reported
apart). Arrays are passed as device arrays, so no launch pays for copies to and from the host.
The outputs of both tiers are compared bit for bit.

Targets (compute-heavy rows): compiled >= 10x faster than vector with checks off, >= 5x with
checks on, and within 10x of @njit with checks off.

Usage:
    python bench/tiers.py [--quick] [--only TEXT]
    (--quick: N=512 SGEMM rows and smaller other rows; --only: the rows whose name has TEXT)
"""

from __future__ import annotations

import functools
import sys
import time
from pathlib import Path

import numpy as np
from numba import float32, njit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root
sys.path.insert(0, str(Path(__file__).resolve().parent))

import profiler_speed  # noqa: E402  (Boehm's kernel 5 and the SGEMM launch shapes)

from autograder.spec import load_exercise  # noqa: E402
from autograder.steps.reference import load_reference  # noqa: E402
from cudalike import config, cuda  # noqa: E402
from cudalike.simt.compiled import launcher  # noqa: E402
from tests.cudalike.model.files import lesson_kernels as lessons  # noqa: E402

STENCIL_TILE = 16


def stencil_5point(a, out):
    row, col = cuda.grid(2)
    if 0 < row < a.shape[0] - 1 and 0 < col < a.shape[1] - 1:
        out[row, col] = float32(0.25) * (
            a[row - 1, col] + a[row + 1, col] + a[row, col - 1] + a[row, col + 1]
        )


@cuda.jit(device=True)
def multiply_add(a, x, b):
    return a * x + b


def polynomial(x, coefficients, out):
    """Horner's rule through a device function: 64 multiply-adds per element."""
    i = cuda.grid(1)
    if i < x.size:
        acc = float32(0)
        for k in range(coefficients.size):
            acc = multiply_add(acc, x[i], coefficients[k])
        out[i] = acc


@cuda.jit(device=True)
def escape_time(cr, ci, limit):
    zr = float32(0)
    zi = float32(0)
    for i in range(limit):
        if zr * zr + zi * zi > float32(4):
            return i
        zr, zi = zr * zr - zi * zi + cr, float32(2) * zr * zi + ci
    return limit


def mandelbrot(xs, ys, out):
    """Escape times through a device function whose loop returns early."""
    col, row = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        out[row, col] = escape_time(xs[col], ys[row], 100)


@njit(cache=True)
def _mandelbrot_njit(xs, ys, out):
    for row in range(out.shape[0]):
        for col in range(out.shape[1]):
            cr, ci = xs[col], ys[row]
            zr = np.float32(0)
            zi = np.float32(0)
            out[row, col] = 100
            for i in range(100):
                if zr * zr + zi * zi > np.float32(4):
                    out[row, col] = i
                    break
                zr, zi = zr * zr - zi * zi + cr, np.float32(2) * zr * zi + ci


def weighted_histogram(values, weights, hist):
    i = cuda.grid(1)
    if i < values.size:
        cuda.atomic.add(hist, values[i], weights[i])


def warp_sums(a, out):
    """Each warp's sum by a shfl_xor butterfly; lane 0 writes it."""
    i = cuda.grid(1)
    v = a[i]
    for k in range(4, -1, -1):
        v += cuda.shfl_xor_sync(0xFFFFFFFF, v, 1 << k)
    if cuda.laneid == 0:
        out[i // 32] = v


@njit(cache=True)
def _softmax_njit(x, out):
    for row in range(x.shape[0]):
        m = x[row].max()
        total = np.float32(0)
        for j in range(x.shape[1]):
            total += np.exp(x[row, j] - m)
        for j in range(x.shape[1]):
            out[row, j] = np.exp(x[row, j] - m) / total


@njit(cache=True)
def _warp_sums_njit(a, out):
    """The kernel's own algorithm: per warp, five butterfly steps over its 32 values."""
    values = np.empty(32, np.float32)
    partners = np.empty(32, np.float32)
    for w in range(out.size):
        values[:] = a[w * 32 : w * 32 + 32]
        for k in range(4, -1, -1):
            for lane in range(32):
                partners[lane] = values[lane ^ (1 << k)]
            for lane in range(32):
                values[lane] += partners[lane]
        out[w] = values[0]


@njit(cache=True)
def _polynomial_njit(x, coefficients, out):
    for i in range(x.size):
        acc = np.float32(0)
        for k in range(coefficients.size):
            acc = acc * x[i] + coefficients[k]
        out[i] = acc


@njit(cache=True)
def _weighted_histogram_njit(values, weights, hist):
    for i in range(values.size):
        hist[values[i]] += weights[i]


@njit(cache=True)
def _sgemm_njit(A, B, C):
    for i in range(C.shape[0]):
        for j in range(C.shape[1]):
            acc = np.float32(0)
            for k in range(A.shape[1]):
                acc += A[i, k] * B[k, j]
            C[i, j] = acc


@njit(cache=True)
def _reduce_njit(g_in, partial):
    per_block = g_in.size // partial.size
    for b in range(partial.size):
        acc = np.float32(0)
        for k in range(per_block):
            acc += g_in[b * per_block + k]
        partial[b] = acc


@njit(cache=True)
def _reduce_strided_njit(g_in, partial, chunk):
    """Harris's kernel 7: block b sums the chunks b, b + grid, b + 2 grid, ... of the input."""
    grid = partial.size
    for b in range(grid):
        acc = np.float32(0)
        for start in range(b * chunk, g_in.size, grid * chunk):
            for k in range(chunk):
                acc += g_in[start + k]
        partial[b] = acc


def harris_rows(n: int, rng) -> list[tuple]:
    """A row per Harris reduction kernel, launched as the reduction lesson launches it."""
    table = []
    values = rng.random(n, dtype=np.float32)
    for launch in lessons.lessons("gpu", reduce_n=n):
        if launch.lesson != "reduction":
            continue
        blocks = launch.griddim[0]
        if launch.kernel == "reduce7_multiple_elements":
            twin = functools.partial(_reduce_strided_njit, chunk=2 * launch.blockdim[0])
        else:
            twin = _reduce_njit
        kernel_name = launch.kernel.removeprefix("reduce").replace("_", " ")
        table.append(
            (
                f"Harris reduction {kernel_name} 2^{n.bit_length() - 1}",
                getattr(lessons, launch.kernel),
                launch.griddim,
                launch.blockdim,
                lambda values=values, blocks=blocks: [values, np.zeros(blocks, np.float32)],
                1,
                twin,
            )
        )
    return table


@njit(cache=True)
def _stencil_njit(a, out):
    for r in range(1, a.shape[0] - 1):
        for c in range(1, a.shape[1] - 1):
            out[r, c] = np.float32(0.25) * (a[r - 1, c] + a[r + 1, c] + a[r, c - 1] + a[r, c + 1])


@njit(cache=True)
def _histogram_njit(data, hist):
    for value in data:
        hist[value] += 1


def rows(quick: bool) -> list[tuple]:
    """(name, kernel, griddim, blockdim, make inputs, output index, njit twin)."""
    rng = np.random.default_rng(0)
    table = []
    for n in (512,) if quick else (512, 1024):
        A = rng.random((n, n), dtype=np.float32)
        B = rng.random((n, n), dtype=np.float32)
        for name, kernel, geometry, *_ in profiler_speed.sgemm_cases(lessons):
            grid, block = geometry(n)
            table.append(
                (
                    f"{name} N={n}",
                    kernel,
                    grid,
                    block,
                    lambda A=A, B=B, n=n: [A, B, np.zeros((n, n), np.float32)],
                    2,
                    _sgemm_njit,
                )
            )
    n = 1 << (20 if quick else 24)
    table += harris_rows(n, rng)
    side = 1024 if quick else 4096
    grid = (side // STENCIL_TILE, side // STENCIL_TILE)
    image = rng.random((side, side), dtype=np.float32)
    table.append(
        (
            f"2-D stencil {side}^2",
            stencil_5point,
            grid,
            (STENCIL_TILE, STENCIL_TILE),
            lambda: [image, np.zeros_like(image)],
            1,
            _stencil_njit,
        )
    )
    data = rng.integers(0, lessons.NBINS, n, dtype=np.int32)
    table.append(
        (
            f"histogram 2^{n.bit_length() - 1}",
            lessons.histogram_shared,
            1024,
            256,
            lambda: [data, np.zeros(lessons.NBINS, np.int32)],
            1,
            _histogram_njit,
        )
    )
    weights = rng.random(n, dtype=np.float32)
    table.append(
        (
            f"weighted histogram 2^{n.bit_length() - 1}",
            weighted_histogram,
            n // 256,
            256,
            lambda: [data, weights, np.zeros(lessons.NBINS, np.float32)],
            2,
            _weighted_histogram_njit,
        )
    )
    points = 1 << (18 if quick else 20)
    x = rng.random(points, dtype=np.float32)
    coefficients = rng.random(64, dtype=np.float32)
    table.append(
        (
            f"polynomial (device function) 2^{points.bit_length() - 1} x 64",
            polynomial,
            points // 256,
            256,
            lambda: [x, coefficients, np.zeros(points, np.float32)],
            2,
            _polynomial_njit,
        )
    )
    side = 256 if quick else 1024
    xs = np.linspace(-2.0, 0.6, side).astype(np.float32)
    ys = np.linspace(-1.3, 1.3, side).astype(np.float32)
    table.append(
        (
            f"Mandelbrot (device function loop) {side}^2 x 100",
            mandelbrot,
            (side // 16, side // 16),
            (16, 16),
            lambda: [xs, ys, np.zeros((side, side), np.int32)],
            2,
            _mandelbrot_njit,
        )
    )
    softmax_rows_count = 512 if quick else 4096
    logits = rng.standard_normal((softmax_rows_count, 1024)).astype(np.float32)
    table.append(
        (
            f"softmax {softmax_rows_count} x 1024 (math.exp)",
            load_reference(load_exercise("softmax_rows")).softmax_rows.py_func,
            softmax_rows_count,
            256,
            lambda: [logits, np.zeros_like(logits)],
            1,
            _softmax_njit,
        )
    )
    lanes = 1 << (20 if quick else 22)
    a = rng.random(lanes, dtype=np.float32)
    table.append(
        (
            f"warp sums (shuffles) 2^{lanes.bit_length() - 1}",
            warp_sums,
            lanes // 256,
            256,
            lambda: [a, np.zeros(lanes // 32, np.float32)],
            1,
            _warp_sums_njit,
        )
    )
    return table


def timed(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def on_device(values: list) -> list:
    """The arrays as device arrays, so a launch is timed without copies to and from the host
    (as a GPU benchmark times the kernel); numbers as they are."""
    return [cuda.to_device(v) if isinstance(v, np.ndarray) else v for v in values]


def measure(row) -> dict:
    name, function, grid, block, make, output, twin = row
    kernel = cuda.jit(function)
    result: dict = {"row": name}
    outputs = {}
    for checks in (True, False):
        for tier in ("vector", "compiled"):
            args = on_device(make())
            with config.override(tier=tier, checks=checks):
                if tier == "compiled":
                    before = launcher.outcomes["compiled"]
                    first = on_device(make())
                    result[f"compile {checks}"] = timed(
                        lambda first=first: kernel[grid, block](*first)
                    )
                    if launcher.outcomes["compiled"] == before:
                        result["note"] = launcher.reasons.get(kernel.__name__, "handed back")
                result[f"{tier} {checks}"] = timed(lambda args=args: kernel[grid, block](*args))
            outputs[tier, checks] = args[output].copy_to_host()
    result["same"] = all(
        np.array_equal(outputs["vector", c], outputs["compiled", c]) for c in (True, False)
    )
    args = make()
    twin(*args)  # compile
    args = make()
    result["njit"] = timed(lambda: twin(*args))
    return result


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def main() -> None:
    quick = "--quick" in sys.argv
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
    header = (
        "| row | vector on | compiled on | x | vector off | compiled off | x | @njit | "
        "compiled off / @njit | identical |"
    )
    print(header)
    print("|" + "---|" * 10)
    for row in rows(quick):
        if only not in row[0]:
            continue
        r = measure(row)
        on = r["vector True"] / r["compiled True"]
        off = r["vector False"] / r["compiled False"]
        print(
            f"| {r['row']} | {seconds(r['vector True'])} | {seconds(r['compiled True'])} | "
            f"{on:.1f}x | {seconds(r['vector False'])} | {seconds(r['compiled False'])} | "
            f"{off:.1f}x | {seconds(r['njit'])} | {r['compiled False'] / r['njit']:.1f} | "
            f"{'yes' if r['same'] else 'NO'}{' ' + r['note'] if 'note' in r else ''} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
