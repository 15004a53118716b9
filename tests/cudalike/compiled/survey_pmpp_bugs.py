"""Buggy twins of the third survey's kernels (survey_pmpp.py), as learners write them: a
Kogge-Stone scan without its barrier, pooling without a bounds guard, a convolution halo
overflowing its shared tile, a Brent-Kung scan reading the half it never loaded, a barrier
under a divergent `if`, a block sum into one shared element without an atomic, a wavefront
without its barrier, a stencil guard one short and a bin width of zero."""

import numpy as np
from numba import float32

from cudalike import cuda
from tests.cudalike.compiled.survey_grids import Case, f32

BLOCK = 64
TILE = 16


def kogge_stone_no_barrier(x, y):
    xy = cuda.shared.array(BLOCK, float32)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    xy[tid] = x[i]
    stride = 1
    while stride < cuda.blockDim.x:
        cuda.syncthreads()
        if tid >= stride:
            xy[tid] += xy[tid - stride]
        stride *= 2
    y[i] = xy[tid]


def max_pool_no_guard(x, out):
    row, col = cuda.grid(2)
    m = max(x[2 * row, 2 * col], x[2 * row, 2 * col + 1])
    m = max(m, max(x[2 * row + 1, 2 * col], x[2 * row + 1, 2 * col + 1]))
    out[row, col] = m


def conv_halo_overflow(img, out):
    tile = cuda.shared.array((TILE, TILE), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    row, col = cuda.grid(2)
    tile[ty + 1, tx + 1] = img[row, col]
    cuda.syncthreads()
    if 0 < tx < TILE - 1 and 0 < ty < TILE - 1:
        out[row, col] = (tile[ty, tx + 1] + tile[ty + 2, tx + 1] + tile[ty + 1, tx]) / 3.0


def brent_kung_half_loaded(x, y):
    xy = cuda.shared.array(2 * BLOCK, float32)
    tid = cuda.threadIdx.x
    i = 2 * cuda.blockIdx.x * cuda.blockDim.x + tid
    xy[tid] = x[i]
    stride = 1
    while stride <= cuda.blockDim.x:
        cuda.syncthreads()
        index = (tid + 1) * 2 * stride - 1
        if index < 2 * BLOCK:
            xy[index] += xy[index - stride]
        stride *= 2
    cuda.syncthreads()
    y[i] = xy[tid]


def divergent_barrier(a, out):
    sh = cuda.shared.array(BLOCK, float32)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    sh[tid] = a[i]
    if tid < BLOCK // 2:
        cuda.syncthreads()
        out[i] = sh[tid] + sh[tid + BLOCK // 2]


def block_sum_no_atomic(a, sums):
    total = cuda.shared.array(1, float32)
    tid = cuda.threadIdx.x
    if tid == 0:
        total[0] = 0.0
    cuda.syncthreads()
    total[0] += a[cuda.grid(1)]
    cuda.syncthreads()
    if tid == 0:
        sums[cuda.blockIdx.x] = total[0]


def wavefront_no_barrier(score):
    i = cuda.threadIdx.x + 1
    n = score.shape[0] - 1
    m = score.shape[1] - 1
    for d in range(2, n + m + 1):
        j = d - i
        if i <= n and 1 <= j <= m:
            score[i, j] = max(score[i - 1, j - 1] + 1, max(score[i - 1, j], score[i, j - 1]))


def stencil_guard_one_short(u, out):
    i = cuda.grid(1)
    if 3 <= i < u.size - 2:
        out[i] = u[i - 3] + u[i + 3] - 2 * u[i]


def histogram_zero_width(x, hist, lo, hi):
    i = cuda.grid(1)
    if i < x.size:
        width = (hi - lo) // hist.size
        cuda.atomic.add(hist, (x[i] - lo) // width, 1)


def _block_pair(rng, n: int = 2 * BLOCK):
    return [f32(rng, n), np.zeros(n, np.float32)]


def _scores(rng):
    score = np.zeros((41, 51), np.int32)
    score[0, :] = np.arange(51)
    score[:, 0] = np.arange(41)
    return [score]


CASES = [
    Case("kogge_stone_no_barrier", kogge_stone_no_barrier, 2, BLOCK, _block_pair),
    Case(
        "max_pool_no_guard",
        max_pool_no_guard,
        (2, 2),
        (8, 8),
        lambda r: [f32(r, 26, 30), np.zeros((13, 15), np.float32)],
    ),
    Case(
        "conv_halo_overflow",
        conv_halo_overflow,
        (2, 2),
        (TILE, TILE),
        lambda r: [f32(r, 2 * TILE, 2 * TILE), np.zeros((2 * TILE, 2 * TILE), np.float32)],
    ),
    Case(
        "brent_kung_half_loaded",
        brent_kung_half_loaded,
        2,
        BLOCK,
        lambda r: _block_pair(r, 4 * BLOCK),
    ),
    Case("divergent_barrier", divergent_barrier, 2, BLOCK, _block_pair),
    Case(
        "block_sum_no_atomic",
        block_sum_no_atomic,
        2,
        BLOCK,
        lambda r: [f32(r, 2 * BLOCK), np.zeros(2, np.float32)],
    ),
    Case("wavefront_no_barrier", wavefront_no_barrier, 1, BLOCK, _scores),
    Case("stencil_guard_one_short", stencil_guard_one_short, 2, BLOCK, _block_pair),
    Case(
        "histogram_zero_width",
        histogram_zero_width,
        2,
        BLOCK,
        lambda r: [
            r.integers(0, 5, 100, dtype=np.int32),
            np.zeros(8, np.int32),
            np.int32(0),
            np.int32(5),
        ],
    ),
]
