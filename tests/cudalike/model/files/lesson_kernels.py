"""Kernels of the performance lessons, and the launches that compare them.

Each lesson pits variants of one computation against each other, the way the published studies
did (see docs/model-lessons.md for the sources, directions and ratios):

- coalescing: `out[i] = a[i * stride]` at stride 1, 2, 8, 32 (CUDA Best Practices Guide);
- transpose: copy, naive, shared tile [32][32], padded tile [32][33] (NVIDIA's "An Efficient
  Matrix Transpose in CUDA C/C++": TILE_DIM 32, block (32, 8), each thread copies 4 rows);
- reduction: Harris's "Optimizing Parallel Reduction in CUDA", kernels 1-5 and 7;
- histogram: 256 bins, global atomics vs shared-memory privatised bins;
- divergence: a branch on threadIdx.x % 2 vs on (threadIdx.x // 32) % 2, same work;
- block size: a memory-bound kernel at 32..1024 threads per block, and with 48 KB of shared
  memory per block;
- SGEMM: Boehm's "How to Optimize a CUDA Matmul Kernel" kernels 1-4.

The kernels are plain functions, left undecorated, written against `from cudalike import cuda`.
`load("numba")` imports a copy whose import line reads `from numba import cuda` instead, so the
same source runs on a real GPU (bench/validate_gpu.py). `lessons(scale)` lists the launches:
scale "check" (small, every block runs, with a numpy oracle), "model" (moderate sizes for the
model, sampled where the grid is large) or "gpu" (sizes fit for timing a real GPU).

Sizes are multiples of the tiles where a kernel says so (as in the studies); every launch below
respects that, so no access goes out of bounds.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import itertools
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numba import float32, int32

from cudalike import cuda

# ---------------------------------------------------------------------------------------------
# (a) Coalescing: the same number of useful elements, read with a stride.


def copy_strided(a, out, stride):
    # Unit stride: a warp reads 128 contiguous bytes (4 sectors). Stride >= 8: 32 sectors.
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i * stride]


# ---------------------------------------------------------------------------------------------
# (b) Transpose, after NVIDIA's study: TILE x TILE tiles, blocks of (TILE, BLOCK_ROWS) threads,
# each thread handling TILE // BLOCK_ROWS = 4 rows. Square matrices, side a multiple of TILE.

TILE = 32
BLOCK_ROWS = 8


def transpose_copy(idata, odata):
    # The reference: the same indexing as the transposes, both sides coalesced.
    x = cuda.blockIdx.x * TILE + cuda.threadIdx.x
    y = cuda.blockIdx.y * TILE + cuda.threadIdx.y
    for j in range(0, TILE, BLOCK_ROWS):
        odata[y + j, x] = idata[y + j, x]


def transpose_naive(idata, odata):
    # Reads coalesced; writes stride a whole row apart: 32 sectors per warp request.
    x = cuda.blockIdx.x * TILE + cuda.threadIdx.x
    y = cuda.blockIdx.y * TILE + cuda.threadIdx.y
    for j in range(0, TILE, BLOCK_ROWS):
        odata[x, y + j] = idata[y + j, x]


def transpose_tile(idata, odata):
    # Both global sides coalesced; the column read of the [32][32] tile is a 32-way conflict.
    tile = cuda.shared.array((TILE, TILE), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    x = cuda.blockIdx.x * TILE + tx
    y = cuda.blockIdx.y * TILE + ty
    for j in range(0, TILE, BLOCK_ROWS):
        tile[ty + j, tx] = idata[y + j, x]
    cuda.syncthreads()
    x = cuda.blockIdx.y * TILE + tx
    y = cuda.blockIdx.x * TILE + ty
    for j in range(0, TILE, BLOCK_ROWS):
        odata[y + j, x] = tile[tx, ty + j]


def transpose_padded(idata, odata):
    # The same with a [32][33] tile: a column's words fall in 32 different banks.
    tile = cuda.shared.array((TILE, TILE + 1), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    x = cuda.blockIdx.x * TILE + tx
    y = cuda.blockIdx.y * TILE + ty
    for j in range(0, TILE, BLOCK_ROWS):
        tile[ty + j, tx] = idata[y + j, x]
    cuda.syncthreads()
    x = cuda.blockIdx.y * TILE + tx
    y = cuda.blockIdx.x * TILE + ty
    for j in range(0, TILE, BLOCK_ROWS):
        odata[y + j, x] = tile[tx, ty + j]


# ---------------------------------------------------------------------------------------------
# (c) Reduction, after Harris (kernel numbers as in his slides). Each block writes the sum of
# its part to partial[blockIdx.x]. Blocks of RED_TPB threads; the input length is a multiple
# of the elements each block takes.

RED_TPB = 256


def reduce1_interleaved_divergent(g_in, partial):
    # Kernel 1: interleaved addressing, `tid % (2*s) == 0`: every warp stays busy, divergent.
    sdata = cuda.shared.array(RED_TPB, float32)
    tid = cuda.threadIdx.x
    i = cuda.blockIdx.x * cuda.blockDim.x + tid
    sdata[tid] = g_in[i]
    cuda.syncthreads()
    s = 1
    while s < cuda.blockDim.x:
        if tid % (2 * s) == 0:
            sdata[tid] += sdata[tid + s]
        cuda.syncthreads()
        s *= 2
    if tid == 0:
        partial[cuda.blockIdx.x] = sdata[0]


def reduce2_interleaved_strided(g_in, partial):
    # Kernel 2: strided index: the active threads are contiguous, but shared accesses 2*s
    # words apart conflict (2-way, 4-way, ... 16-way).
    sdata = cuda.shared.array(RED_TPB, float32)
    tid = cuda.threadIdx.x
    i = cuda.blockIdx.x * cuda.blockDim.x + tid
    sdata[tid] = g_in[i]
    cuda.syncthreads()
    s = 1
    while s < cuda.blockDim.x:
        index = 2 * s * tid
        if index < cuda.blockDim.x:
            sdata[index] += sdata[index + s]
        cuda.syncthreads()
        s *= 2
    if tid == 0:
        partial[cuda.blockIdx.x] = sdata[0]


def reduce3_sequential(g_in, partial):
    # Kernel 3: sequential addressing: contiguous threads, contiguous words, no conflicts.
    sdata = cuda.shared.array(RED_TPB, float32)
    tid = cuda.threadIdx.x
    i = cuda.blockIdx.x * cuda.blockDim.x + tid
    sdata[tid] = g_in[i]
    cuda.syncthreads()
    s = cuda.blockDim.x // 2
    while s > 0:
        if tid < s:
            sdata[tid] += sdata[tid + s]
        cuda.syncthreads()
        s //= 2
    if tid == 0:
        partial[cuda.blockIdx.x] = sdata[0]


def reduce4_first_add(g_in, partial):
    # Kernel 4: half the blocks, each thread adds two elements while loading.
    sdata = cuda.shared.array(RED_TPB, float32)
    tid = cuda.threadIdx.x
    i = cuda.blockIdx.x * (cuda.blockDim.x * 2) + tid
    sdata[tid] = g_in[i] + g_in[i + cuda.blockDim.x]
    cuda.syncthreads()
    s = cuda.blockDim.x // 2
    while s > 0:
        if tid < s:
            sdata[tid] += sdata[tid + s]
        cuda.syncthreads()
        s //= 2
    if tid == 0:
        partial[cuda.blockIdx.x] = sdata[0]


def reduce5_unroll_last_warp(g_in, partial):
    # Kernel 5: as 4, but the last six steps run in one warp without block barriers. Harris's
    # `volatile` lockstep trick is a race since Volta; __syncwarp() between the steps is the
    # correct form of the same idea. Needs blockDim.x >= 64.
    sdata = cuda.shared.array(RED_TPB, float32)
    tid = cuda.threadIdx.x
    i = cuda.blockIdx.x * (cuda.blockDim.x * 2) + tid
    sdata[tid] = g_in[i] + g_in[i + cuda.blockDim.x]
    cuda.syncthreads()
    s = cuda.blockDim.x // 2
    while s > 32:
        if tid < s:
            sdata[tid] += sdata[tid + s]
        cuda.syncthreads()
        s //= 2
    if tid < 32:
        v = sdata[tid] + sdata[tid + 32]
        sdata[tid] = v
        cuda.syncwarp()
        v += sdata[tid + 16]
        cuda.syncwarp()
        sdata[tid] = v
        cuda.syncwarp()
        v += sdata[tid + 8]
        cuda.syncwarp()
        sdata[tid] = v
        cuda.syncwarp()
        v += sdata[tid + 4]
        cuda.syncwarp()
        sdata[tid] = v
        cuda.syncwarp()
        v += sdata[tid + 2]
        cuda.syncwarp()
        sdata[tid] = v
        cuda.syncwarp()
        v += sdata[tid + 1]
        if tid == 0:
            partial[cuda.blockIdx.x] = v


def reduce7_multiple_elements(g_in, partial):
    # Kernel 7: a fixed grid; each thread first sums many pairs with a grid-stride loop, then
    # the block reduces as in kernel 5. The length is a multiple of 2 * blockDim.x * gridDim.x.
    sdata = cuda.shared.array(RED_TPB, float32)
    tid = cuda.threadIdx.x
    i = cuda.blockIdx.x * (cuda.blockDim.x * 2) + tid
    grid_size = cuda.blockDim.x * 2 * cuda.gridDim.x
    acc = float32(0)
    while i < g_in.size:
        acc += g_in[i] + g_in[i + cuda.blockDim.x]
        i += grid_size
    sdata[tid] = acc
    cuda.syncthreads()
    s = cuda.blockDim.x // 2
    while s > 32:
        if tid < s:
            sdata[tid] += sdata[tid + s]
        cuda.syncthreads()
        s //= 2
    if tid < 32:
        v = sdata[tid] + sdata[tid + 32]
        sdata[tid] = v
        cuda.syncwarp()
        v += sdata[tid + 16]
        cuda.syncwarp()
        sdata[tid] = v
        cuda.syncwarp()
        v += sdata[tid + 8]
        cuda.syncwarp()
        sdata[tid] = v
        cuda.syncwarp()
        v += sdata[tid + 4]
        cuda.syncwarp()
        sdata[tid] = v
        cuda.syncwarp()
        v += sdata[tid + 2]
        cuda.syncwarp()
        sdata[tid] = v
        cuda.syncwarp()
        v += sdata[tid + 1]
        if tid == 0:
            partial[cuda.blockIdx.x] = v


# ---------------------------------------------------------------------------------------------
# (d) Histogram of int32 values in [0, NBINS), grid-stride loops over the data.

NBINS = 256


def histogram_global(data, hist):
    # Every element is one atomic on global memory; all blocks contend for the same 256 words.
    start = cuda.grid(1)
    stride = cuda.gridsize(1)
    for k in range(start, data.size, stride):
        cuda.atomic.add(hist, data[k], 1)


def histogram_shared(data, hist):
    # Privatised: a block counts into its own shared bins, then adds them to global once.
    bins = cuda.shared.array(NBINS, int32)
    t = cuda.threadIdx.x
    for b in range(t, NBINS, cuda.blockDim.x):
        bins[b] = 0
    cuda.syncthreads()
    start = cuda.grid(1)
    stride = cuda.gridsize(1)
    for k in range(start, data.size, stride):
        cuda.atomic.add(bins, data[k], 1)
    cuda.syncthreads()
    for b in range(t, NBINS, cuda.blockDim.x):
        cuda.atomic.add(hist, b, bins[b])


# ---------------------------------------------------------------------------------------------
# (e) Divergence: the same BRANCH_ITERS dependent multiply-adds per thread, on one path or the
# other; only the branch condition differs.

BRANCH_ITERS = 256


def branch_divergent(a, out):
    # Even and odd lanes of every warp go different ways: each warp runs both paths.
    i = cuda.grid(1)
    if i < a.size:
        x = a[i]
        if cuda.threadIdx.x % 2 == 0:
            for _ in range(BRANCH_ITERS):
                x = x * float32(0.999) + float32(0.5)
        else:
            for _ in range(BRANCH_ITERS):
                x = x * float32(1.001) - float32(0.5)
        out[i] = x


def branch_uniform(a, out):
    # Whole warps take one path or the other: no warp runs both.
    i = cuda.grid(1)
    if i < a.size:
        x = a[i]
        if (cuda.threadIdx.x // 32) % 2 == 0:
            for _ in range(BRANCH_ITERS):
                x = x * float32(0.999) + float32(0.5)
        else:
            for _ in range(BRANCH_ITERS):
                x = x * float32(1.001) - float32(0.5)
        out[i] = x


# ---------------------------------------------------------------------------------------------
# (f) Block size and occupancy: a memory-bound kernel, and the same holding 48 KB of shared
# memory per block (the static limit), which caps the resident blocks per SM.

BIG_SHARED_WORDS = 12 * 1024  # 48 KB of float32


def scale(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = float32(2.0) * a[i]


def scale_big_shared(a, out):
    # Each thread passes its element through its own slot of a 48 KB shared array (needs
    # blockDim.x <= BIG_SHARED_WORDS); no barrier is needed, no thread reads another's slot.
    s = cuda.shared.array(BIG_SHARED_WORDS, float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    if i < a.size:
        s[t] = a[i]
        out[i] = float32(2.0) * s[t]


# ---------------------------------------------------------------------------------------------
# (g) SGEMM C = A @ B, after Boehm's worklog. A is (M, K), B (K, N), C (M, N), row-major.

MM_TILE = 32  # kernels 1-3: 32 x 32 threads per block, 32 x 32 tiles
BM = 64  # kernel 4: a 64 x 64 block tile, K-slices of BK, TM results per thread (512 threads)
BN = 64
BK = 8
TM = 8


def sgemm1_naive(A, B, C):
    # Boehm's kernel 1: x (fastest across the warp) indexes the ROW of C, so a warp reads 32
    # rows of A (32 sectors per request) and writes C down a column.
    x = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    y = cuda.blockIdx.y * cuda.blockDim.y + cuda.threadIdx.y
    if x < C.shape[0] and y < C.shape[1]:
        acc = float32(0)
        for k in range(A.shape[1]):
            acc += A[x, k] * B[k, y]
        C[x, y] = acc


def sgemm2_coalesced(A, B, C):
    # Boehm's kernel 2: threadIdx.x indexes the COLUMN: A is a broadcast, B and C coalesced.
    col = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    row = cuda.blockIdx.y * cuda.blockDim.y + cuda.threadIdx.y
    if row < C.shape[0] and col < C.shape[1]:
        acc = float32(0)
        for k in range(A.shape[1]):
            acc += A[row, k] * B[k, col]
        C[row, col] = acc


def sgemm3_shared(A, B, C):
    # Boehm's kernel 3: 32 x 32 tiles of A and B staged in shared memory. Sizes multiples of 32.
    sA = cuda.shared.array((MM_TILE, MM_TILE), float32)
    sB = cuda.shared.array((MM_TILE, MM_TILE), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    row = cuda.blockIdx.y * MM_TILE + ty
    col = cuda.blockIdx.x * MM_TILE + tx
    acc = float32(0)
    for t in range(0, A.shape[1], MM_TILE):
        sA[ty, tx] = A[row, t + tx]
        sB[ty, tx] = B[t + ty, col]
        cuda.syncthreads()
        for k in range(MM_TILE):
            acc += sA[ty, k] * sB[k, tx]
        cuda.syncthreads()
    C[row, col] = acc


def sgemm4_blocktile_1d(A, B, C):
    # Boehm's kernel 4: each of 512 threads computes TM = 8 results of one column of a 64 x 64
    # block tile, reusing each B value from shared memory TM times. M, N multiples of 64, K of 8.
    sA = cuda.shared.array((BM, BK), float32)
    sB = cuda.shared.array((BK, BN), float32)
    results = cuda.local.array(TM, float32)
    t = cuda.threadIdx.x
    thread_col = t % BN
    thread_row = t // BN
    a_row = t // BK
    a_col = t % BK
    b_row = t // BN
    b_col = t % BN
    row0 = cuda.blockIdx.y * BM
    col0 = cuda.blockIdx.x * BN
    for r in range(TM):
        results[r] = float32(0)
    for bk in range(0, A.shape[1], BK):
        sA[a_row, a_col] = A[row0 + a_row, bk + a_col]
        sB[b_row, b_col] = B[bk + b_row, col0 + b_col]
        cuda.syncthreads()
        for d in range(BK):
            b = sB[d, thread_col]
            for r in range(TM):
                results[r] += sA[thread_row * TM + r, d] * b
        cuda.syncthreads()
    for r in range(TM):
        C[row0 + thread_row * TM + r, col0 + thread_col] = results[r]


# =============================================================================================
# The launches. Nothing below runs inside a kernel.

CUDALIKE_IMPORT = "from cudalike import cuda"
NUMBA_IMPORT = "from numba import cuda"
_serial = itertools.count()


def load(backend: str = "cudalike"):
    """This file as a fresh module for "cudalike" or, with its import line rewritten, "numba"."""
    path = Path(__file__).resolve()
    if backend == "numba":
        copy_dir = Path(tempfile.mkdtemp(prefix="cudalike-lessons-"))
        copy = copy_dir / path.name
        lines = path.read_text().splitlines(keepends=True)
        at = [k for k, line in enumerate(lines) if line.rstrip() == CUDALIKE_IMPORT]
        if len(at) != 1:
            raise ValueError(f"{path} must hold the line {CUDALIKE_IMPORT!r} exactly once")
        lines[at[0]] = NUMBA_IMPORT + "\n"
        copy.write_text("".join(lines))
        path = copy
    elif backend != "cudalike":
        raise ValueError(f"backend must be 'cudalike' or 'numba', not {backend!r}")
    name = f"_lesson_kernels_{backend}_{next(_serial)}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # inspect.getsource and dataclasses look the module up
    spec.loader.exec_module(module)
    return module


@dataclasses.dataclass
class Launch:
    """One variant of a lesson: kernel[griddim, blockdim](*make_args(rng)), and its oracle.

    Attributes:
        lesson: the lesson's name ("coalescing", "transpose", ...).
        name: the variant's name, unique across all lessons.
        kernel: name of the kernel function in this file.
        griddim, blockdim: launch geometry.
        make_args: fresh numpy arguments from a random generator.
        check: raises AssertionError when the arguments after the launch are wrong (None when
            the launch did not run every block, or has no oracle).
        sample_blocks: how many blocks the model should run (None: all).
        useful_bytes: bytes the computation must move at least (for effective bandwidth).
        flops: floating-point operations of the computation (0 when not meaningful).
    """

    lesson: str
    name: str
    kernel: str
    griddim: tuple
    blockdim: tuple
    make_args: Callable[[np.random.Generator], list]
    check: Callable[[list], None] | None = None
    sample_blocks: int | None = None
    useful_bytes: int = 0
    flops: int = 0


# Sizes per scale. "check": small, every block runs, oracles on. "model": what the lesson
# tests profile (the model scales sampled blocks up). "gpu": what a real GPU is timed at.
SIZES = {
    "check": dict(
        copy_n=4096,
        transpose_n=128,
        reduce_n=1 << 14,
        hist_n=1 << 14,
        hist_grid=16,
        branch_n=4096,
        sweep_n=1 << 14,
        sgemm_n=128,
        sample=None,
    ),
    "model": dict(
        copy_n=1 << 21,
        transpose_n=2048,
        reduce_n=1 << 22,
        hist_n=1 << 22,
        hist_grid=1024,
        branch_n=1 << 20,
        sweep_n=1 << 22,
        sgemm_n=1024,
        sample=True,
    ),
    "gpu": dict(
        copy_n=1 << 23,
        transpose_n=4096,
        reduce_n=1 << 24,
        hist_n=1 << 24,
        hist_grid=1056,
        branch_n=1 << 22,
        sweep_n=1 << 24,
        sgemm_n=2048,
        sample=True,
    ),
}
STRIDES = (1, 2, 8, 32)
SWEEP_BLOCKS = (32, 64, 128, 256, 512, 1024)


def _blocks(griddim) -> int:
    g = tuple(griddim) if isinstance(griddim, tuple) else (griddim,)
    return int(np.prod(g))


def lessons(scale: str = "model", **sizes: int) -> list[Launch]:
    """Every lesson's launches at one scale ("check", "model" or "gpu"), in lesson order.

    Keyword arguments override that scale's SIZES entries (e.g. sgemm_n=256). At the "model"
    and "gpu" scales, big grids carry a sample_blocks for the model (a GPU runs every block).
    """
    size = {**SIZES[scale], **sizes}
    checked = scale == "check"

    def sample(blocks_in_grid: int, wanted: int) -> int | None:
        if not size["sample"] or blocks_in_grid <= wanted:
            return None
        return wanted

    out: list[Launch] = []

    # (a) coalescing
    n = size["copy_n"]
    for stride in STRIDES:

        def make(rng, stride=stride, n=n):
            return [rng.random(n * stride, dtype=np.float32), np.zeros(n, np.float32), stride]

        def check(args, stride=stride):
            np.testing.assert_array_equal(args[1], args[0][::stride])

        out.append(
            Launch(
                "coalescing",
                f"copy_stride{stride}",
                "copy_strided",
                (n // 256,),
                (256,),
                make,
                check if checked else None,
                sample(n // 256, 64),
                useful_bytes=8 * n,
            )
        )

    # (b) transpose
    m = size["transpose_n"]
    grid = (m // TILE, m // TILE)
    for name, kernel in (
        ("transpose_copy", "transpose_copy"),
        ("transpose_naive", "transpose_naive"),
        ("transpose_tile", "transpose_tile"),
        ("transpose_padded", "transpose_padded"),
    ):

        def make(rng, m=m):
            return [rng.random((m, m), dtype=np.float32), np.zeros((m, m), np.float32)]

        def check(args, kernel=kernel):
            want = args[0] if kernel == "transpose_copy" else args[0].T
            np.testing.assert_array_equal(args[1], want)

        out.append(
            Launch(
                "transpose",
                name,
                kernel,
                grid,
                (TILE, BLOCK_ROWS),
                make,
                check if checked else None,
                sample(_blocks(grid), 64),
                useful_bytes=8 * m * m,
            )
        )

    # (c) reduction
    n = size["reduce_n"]
    per_block_7 = 2 * RED_TPB * 8  # kernel 7: 8 pairs per thread
    for name, per_block in (
        ("reduce1_interleaved_divergent", RED_TPB),
        ("reduce2_interleaved_strided", RED_TPB),
        ("reduce3_sequential", RED_TPB),
        ("reduce4_first_add", 2 * RED_TPB),
        ("reduce5_unroll_last_warp", 2 * RED_TPB),
        ("reduce7_multiple_elements", per_block_7),
    ):
        blocks = n // per_block

        def make(rng, n=n, blocks=blocks):
            # Small integers: float32 sums are exact in any order.
            data = rng.integers(0, 4, n).astype(np.float32)
            return [data, np.zeros(blocks, np.float32)]

        def check(args, blocks=blocks, per_block=per_block, name=name):
            data, partial = args
            if name == "reduce7_multiple_elements":
                # Block b sums pairs b, b + grid, b + 2 grid, ... of 2*RED_TPB elements.
                want = data.reshape(-1, blocks, 2 * RED_TPB).sum(axis=(0, 2))
            else:
                want = data.reshape(blocks, per_block).sum(axis=1)
            np.testing.assert_array_equal(partial, want)
            assert partial.sum() == data.sum()

        out.append(
            Launch(
                "reduction",
                name,
                name,
                (blocks,),
                (RED_TPB,),
                make,
                check if checked else None,
                sample(blocks, 64),
                useful_bytes=4 * n,
                flops=n,
            )
        )

    # (d) histogram
    n, hist_grid = size["hist_n"], size["hist_grid"]
    for name in ("histogram_global", "histogram_shared"):

        def make(rng, n=n):
            return [rng.integers(0, NBINS, n).astype(np.int32), np.zeros(NBINS, np.int32)]

        def check(args):
            np.testing.assert_array_equal(args[1], np.bincount(args[0], minlength=NBINS))

        out.append(
            Launch(
                "histogram",
                name,
                name,
                (hist_grid,),
                (256,),
                make,
                check if checked else None,
                sample(hist_grid, 32),
                useful_bytes=4 * n,
            )
        )

    # (e) divergence
    n = size["branch_n"]
    for name in ("branch_divergent", "branch_uniform"):

        def make(rng, n=n):
            return [rng.random(n, dtype=np.float32), np.zeros(n, np.float32)]

        def check(args, name=name):
            a, got = args
            lane = np.arange(a.size) % 256
            even = lane % 2 == 0 if name == "branch_divergent" else (lane // 32) % 2 == 0
            x = a.copy()
            for _ in range(BRANCH_ITERS):
                x = np.where(
                    even,
                    x * np.float32(0.999) + np.float32(0.5),
                    x * np.float32(1.001) - np.float32(0.5),
                ).astype(np.float32)
            np.testing.assert_allclose(got, x, rtol=1e-5, atol=1e-5)

        out.append(
            Launch(
                "divergence",
                name,
                name,
                (n // 256,),
                (256,),
                make,
                check if checked else None,
                sample(n // 256, 32),
                useful_bytes=8 * n,
                flops=2 * BRANCH_ITERS * n,
            )
        )

    # (f) block-size sweep, and 48 KB of shared memory per block
    n = size["sweep_n"]
    for kernel, threads in [("scale", t) for t in SWEEP_BLOCKS] + [("scale_big_shared", 128)]:
        blocks = n // threads

        def make(rng, n=n):
            return [rng.random(n, dtype=np.float32), np.zeros(n, np.float32)]

        def check(args):
            np.testing.assert_array_equal(args[1], np.float32(2) * args[0])

        name = f"{kernel}_tpb{threads}"
        out.append(
            Launch(
                "blocksize",
                name,
                kernel,
                (blocks,),
                (threads,),
                make,
                check if checked else None,
                sample(blocks, 64),
                useful_bytes=8 * n,
                flops=n,
            )
        )

    # (g) SGEMM
    m = size["sgemm_n"]
    for name, grid, block in (
        ("sgemm1_naive", (m // MM_TILE, m // MM_TILE), (MM_TILE, MM_TILE)),
        ("sgemm2_coalesced", (m // MM_TILE, m // MM_TILE), (MM_TILE, MM_TILE)),
        ("sgemm3_shared", (m // MM_TILE, m // MM_TILE), (MM_TILE, MM_TILE)),
        ("sgemm4_blocktile_1d", (m // BN, m // BM), (BM * BN // TM,)),
    ):

        def make(rng, m=m):
            # Small integers: every product and sum is exact in float32.
            a = rng.integers(-2, 3, (m, m)).astype(np.float32)
            b = rng.integers(-2, 3, (m, m)).astype(np.float32)
            return [a, b, np.zeros((m, m), np.float32)]

        def check(args):
            np.testing.assert_array_equal(args[2], args[0] @ args[1])

        out.append(
            Launch(
                "sgemm",
                name,
                name,
                grid,
                block,
                make,
                check if checked else None,
                sample(_blocks(grid), 8),
                useful_bytes=12 * m * m,
                flops=2 * m**3,
            )
        )
    return out
