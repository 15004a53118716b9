"""Grid and tile kernels from "Programming Massively Parallel Processors" (Kirk and Hwu) for
the third tier survey: a tiled 2-D convolution with a shared halo, max and average pooling,
im2col, a batched matmul on a 3-D grid, column sums and a 2-D histogram by float atomics, a
tiled matmul with thread coarsening, a Floyd-Warshall step and Needleman-Wunsch wavefronts,
one block stepping along the anti-diagonals with a barrier after each (see survey_pmpp.py)."""

import numpy as np
from numba import float32, int32

from cudalike import cuda
from tests.cudalike.compiled.survey_grids import Case, f32

IN_TILE = 16
MASK_R = 1
OUT_TILE = IN_TILE - 2 * MASK_R
PMPP_MASK = np.array([[0, 1, 0], [1, 4, 1], [0, 1, 0]], np.float32) / np.float32(8)
TILE_W = 16
MATCH, MISMATCH, GAP = 2, -1, -2


def conv2d_tiled_halo(img, out):
    mask = cuda.const.array_like(PMPP_MASK)
    tile = cuda.shared.array((IN_TILE, IN_TILE), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    col = cuda.blockIdx.x * OUT_TILE + tx - MASK_R
    row = cuda.blockIdx.y * OUT_TILE + ty - MASK_R
    h, w = img.shape
    if 0 <= row < h and 0 <= col < w:
        tile[ty, tx] = img[row, col]
    else:
        tile[ty, tx] = 0.0
    cuda.syncthreads()
    tile_col = tx - MASK_R
    tile_row = ty - MASK_R
    if 0 <= row < h and 0 <= col < w:
        if 0 <= tile_col < OUT_TILE and 0 <= tile_row < OUT_TILE:
            acc = float32(0.0)
            for fr in range(2 * MASK_R + 1):
                for fc in range(2 * MASK_R + 1):
                    acc += mask[fr, fc] * tile[tile_row + fr, tile_col + fc]
            out[row, col] = acc


def max_pool_2x2(x, out):
    ox, oy, c = cuda.grid(3)
    if c < out.shape[0] and oy < out.shape[1] and ox < out.shape[2]:
        m = x[c, 2 * oy, 2 * ox]
        m = max(m, x[c, 2 * oy, 2 * ox + 1])
        m = max(m, x[c, 2 * oy + 1, 2 * ox])
        m = max(m, x[c, 2 * oy + 1, 2 * ox + 1])
        out[c, oy, ox] = m


def avg_pool_2x2(x, out):
    row, col = cuda.grid(2)
    if row < out.shape[0] and col < out.shape[1]:
        s = x[2 * row, 2 * col] + x[2 * row, 2 * col + 1]
        s += x[2 * row + 1, 2 * col] + x[2 * row + 1, 2 * col + 1]
        out[row, col] = s * 0.25


def im2col_3x3(img, cols):
    idx = cuda.grid(1)
    channels, h, w = img.shape
    h_out = h - 2
    w_out = w - 2
    if idx < channels * h_out * w_out:
        w_o = idx % w_out
        h_o = (idx // w_out) % h_out
        c = idx // (w_out * h_out)
        for kh in range(3):
            for kw in range(3):
                cols[c * 9 + kh * 3 + kw, h_o * w_out + w_o] = img[c, h_o + kh, w_o + kw]


def batched_matmul(A, B, C):
    col, row, batch = cuda.grid(3)
    if batch < C.shape[0] and row < C.shape[1] and col < C.shape[2]:
        acc = float32(0.0)
        for k in range(A.shape[2]):
            acc += A[batch, row, k] * B[batch, k, col]
        C[batch, row, col] = acc


def column_sums_atomic(a, colsum):
    row, col = cuda.grid(2)
    if row < a.shape[0] and col < a.shape[1]:
        cuda.atomic.add(colsum, col, a[row, col])


def histogram_2d_atomic(x, y, h):
    i = cuda.grid(1)
    if i < x.size:
        bx = min(max(int32(x[i] * 2.0 + 4.0), 0), 7)
        by = min(max(int32(y[i] * 2.0 + 4.0), 0), 7)
        cuda.atomic.add(h, (bx, by), float32(0.5))


def floyd_warshall_step(dist, k):
    j, i = cuda.grid(2)
    n = dist.shape[0]
    if i < n and j < n:
        via = dist[i, k] + dist[k, j]
        if via < dist[i, j]:
            dist[i, j] = via


def matmul_coarsened(M, N, P):
    Mds = cuda.shared.array((TILE_W, TILE_W), float32)
    Nds = cuda.shared.array((TILE_W, TILE_W), float32)
    bx = cuda.blockIdx.x
    by = cuda.blockIdx.y
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    row = by * TILE_W + ty
    col_start = bx * TILE_W * 2 + tx
    pvalue = cuda.local.array(2, float32)
    for c in range(2):
        pvalue[c] = 0.0
    width = M.shape[0]
    for ph in range(width // TILE_W):
        Mds[ty, tx] = M[row, ph * TILE_W + tx]
        for c in range(2):
            col = col_start + c * TILE_W
            Nds[ty, tx] = N[ph * TILE_W + ty, col]
            cuda.syncthreads()
            for k in range(TILE_W):
                pvalue[c] += Mds[ty, k] * Nds[k, tx]
            cuda.syncthreads()
    for c in range(2):
        P[row, col_start + c * TILE_W] = pvalue[c]


def needleman_wunsch(seq_a, seq_b, score):
    i = cuda.threadIdx.x + 1
    n = seq_a.size
    m = seq_b.size
    for d in range(2, n + m + 1):
        j = d - i
        if i <= n and 1 <= j <= m:
            match = MATCH if seq_a[i - 1] == seq_b[j - 1] else MISMATCH
            best = score[i - 1, j - 1] + match
            best = max(best, score[i - 1, j] + GAP)
            best = max(best, score[i, j - 1] + GAP)
            score[i, j] = best
        cuda.syncthreads()


def needleman_wunsch_typed(seq_a, seq_b, score):
    i = cuda.threadIdx.x + 1
    n = seq_a.size
    m = seq_b.size
    for d in range(2, n + m + 1):
        j = d - i
        if i <= n and 1 <= j <= m:
            if seq_a[i - 1] == seq_b[j - 1]:
                match = int32(2)
            else:
                match = int32(-1)
            best = score[i - 1, j - 1] + match
            best = max(best, score[i - 1, j] - 2)
            best = max(best, score[i, j - 1] - 2)
            score[i, j] = best
        cuda.syncthreads()


def _distances(rng, n: int = 24):
    dist = rng.integers(1, 50, (n, n)).astype(np.int32)
    dist[rng.random((n, n)) < 0.6] = 1_000_000
    np.fill_diagonal(dist, 0)
    return [dist, 5]


def _sequences(rng, n: int = 40, m: int = 50):
    score = np.zeros((n + 1, m + 1), np.int32)
    score[:, 0] = GAP * np.arange(n + 1)
    score[0, :] = GAP * np.arange(m + 1)
    return [rng.integers(0, 4, n, dtype=np.int8), rng.integers(0, 4, m, dtype=np.int8), score]


CASES = [
    Case(
        "conv2d_tiled_halo",
        conv2d_tiled_halo,
        (3, 3),
        (IN_TILE, IN_TILE),
        lambda r: [f32(r, 35, 40), np.zeros((35, 40), np.float32)],
    ),
    Case(
        "max_pool_2x2",
        max_pool_2x2,
        (2, 2, 3),
        (8, 8, 1),
        lambda r: [f32(r, 3, 26, 30), np.zeros((3, 13, 15), np.float32)],
    ),
    Case(
        "avg_pool_2x2",
        avg_pool_2x2,
        (2, 2),
        (16, 16),
        lambda r: [f32(r, 40, 50), np.zeros((20, 25), np.float32)],
    ),
    Case(
        "im2col_3x3",
        im2col_3x3,
        4,
        128,
        lambda r: [f32(r, 3, 14, 12), np.zeros((27, 120), np.float32)],
    ),
    Case(
        "batched_matmul_3d_grid",
        batched_matmul,
        (2, 2, 3),
        (16, 16, 1),
        lambda r: [f32(r, 3, 20, 17), f32(r, 3, 17, 25), np.zeros((3, 20, 25), np.float32)],
    ),
    Case(
        "column_sums_atomic",
        column_sums_atomic,
        (3, 3),
        (16, 16),
        lambda r: [f32(r, 40, 45), np.zeros(45, np.float32)],
    ),
    Case(
        "histogram_2d_atomic",
        histogram_2d_atomic,
        4,
        64,
        lambda r: [f32(r, 250), f32(r, 250), np.zeros((8, 8), np.float32)],
    ),
    Case("floyd_warshall_step", floyd_warshall_step, (2, 2), (16, 16), _distances),
    Case(
        "matmul_coarsened",
        matmul_coarsened,
        (2, 3),
        (TILE_W, TILE_W),
        lambda r: [f32(r, 48, 48), f32(r, 48, 64), np.zeros((48, 64), np.float32)],
    ),
    Case("needleman_wunsch", needleman_wunsch, 1, 64, _sequences),
    Case("needleman_wunsch_typed", needleman_wunsch_typed, 1, 64, _sequences),
]
