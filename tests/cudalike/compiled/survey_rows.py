"""Classic numba.cuda kernels for a second tier survey, row by row: histograms, per-row
argmax and argmin, layer and RMS norms, softmax (thread, warp and block per row),
activations, and a warp's inclusive scan and warp-aggregated compaction (see survey_classics.py)."""

import math

import numpy as np
from numba import float32, float64, int32

from cudalike import cuda
from tests.cudalike.compiled.survey_grids import Case, f32

BINS = 16
ROW_THREADS = 64


def histogram_float_bins(x, lo, hi, hist):
    i = cuda.grid(1)
    if i < x.size:
        b = int32((x[i] - lo) / (hi - lo) * BINS)
        if b < 0:
            b = 0
        if b >= BINS:
            b = BINS - 1
        cuda.atomic.add(hist, b, 1)


def histogram_shared_bins(data, hist):
    bins = cuda.shared.array(BINS, int32)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    if tid < BINS:
        bins[tid] = 0
    cuda.syncthreads()
    if i < data.size:
        cuda.atomic.add(bins, data[i] % BINS, 1)
    cuda.syncthreads()
    if tid < BINS:
        cuda.atomic.add(hist, tid, bins[tid])


def argmax_rows(a, idx, val):
    r = cuda.grid(1)
    if r < a.shape[0]:
        best = -math.inf
        best_j = -1
        for j in range(a.shape[1]):
            if a[r, j] > best:
                best = a[r, j]
                best_j = j
        idx[r] = best_j
        val[r] = best


def argmin_rows(a, idx):
    r = cuda.grid(1)
    if r < a.shape[0]:
        best = math.inf
        best_j = 0
        for j in range(a.shape[1]):
            v = a[r, j]
            if v < best:
                best = v
                best_j = j
        idx[r] = best_j


def layer_norm_rows(x, gamma, beta, out, eps):
    sh = cuda.shared.array(ROW_THREADS, float32)
    row = cuda.blockIdx.x
    tid = cuda.threadIdx.x
    n = x.shape[1]
    s = float32(0.0)
    for j in range(tid, n, cuda.blockDim.x):
        s += x[row, j]
    sh[tid] = s
    cuda.syncthreads()
    stride = cuda.blockDim.x // 2
    while stride > 0:
        if tid < stride:
            sh[tid] += sh[tid + stride]
        cuda.syncthreads()
        stride //= 2
    mean = sh[0] / n
    cuda.syncthreads()
    v = float32(0.0)
    for j in range(tid, n, cuda.blockDim.x):
        d = x[row, j] - mean
        v += d * d
    sh[tid] = v
    cuda.syncthreads()
    stride = cuda.blockDim.x // 2
    while stride > 0:
        if tid < stride:
            sh[tid] += sh[tid + stride]
        cuda.syncthreads()
        stride //= 2
    inv = float32(1.0) / math.sqrt(sh[0] / n + eps)
    for j in range(tid, n, cuda.blockDim.x):
        out[row, j] = (x[row, j] - mean) * inv * gamma[j] + beta[j]


def rms_norm_rows(x, weight, out):
    sh = cuda.shared.array(ROW_THREADS, float32)
    row = cuda.blockIdx.x
    tid = cuda.threadIdx.x
    s = float32(0.0)
    for j in range(tid, x.shape[1], ROW_THREADS):
        s += x[row, j] * x[row, j]
    sh[tid] = s
    cuda.syncthreads()
    if tid == 0:
        total = float32(0.0)
        for k in range(ROW_THREADS):
            total += sh[k]
        sh[0] = total
    cuda.syncthreads()
    scale = float32(1.0) / math.sqrt(sh[0] / float32(x.shape[1]) + float32(1e-6))
    for j in range(tid, x.shape[1], ROW_THREADS):
        out[row, j] = x[row, j] * scale * weight[j]


def softmax_thread_per_row(x, out):
    r = cuda.grid(1)
    if r < x.shape[0]:
        m = x[r, 0]
        for j in range(1, x.shape[1]):
            m = max(m, x[r, j])
        s = float32(0.0)
        for j in range(x.shape[1]):
            e = math.exp(x[r, j] - m)
            out[r, j] = e
            s += e
        for j in range(x.shape[1]):
            out[r, j] /= s


def softmax_block_per_row(x, out):
    sh = cuda.shared.array(ROW_THREADS, float64)
    row = cuda.blockIdx.x
    tid = cuda.threadIdx.x
    m = -math.inf
    for j in range(tid, x.shape[1], cuda.blockDim.x):
        m = max(m, x[row, j])
    sh[tid] = m
    cuda.syncthreads()
    s = cuda.blockDim.x // 2
    while s > 0:
        if tid < s:
            sh[tid] = max(sh[tid], sh[tid + s])
        cuda.syncthreads()
        s //= 2
    row_max = sh[0]
    cuda.syncthreads()
    total = 0.0
    for j in range(tid, x.shape[1], cuda.blockDim.x):
        total += math.exp(x[row, j] - row_max)
    sh[tid] = total
    cuda.syncthreads()
    s = cuda.blockDim.x // 2
    while s > 0:
        if tid < s:
            sh[tid] += sh[tid + s]
        cuda.syncthreads()
        s //= 2
    for j in range(tid, x.shape[1], cuda.blockDim.x):
        out[row, j] = math.exp(x[row, j] - row_max) / sh[0]


def softmax_warp_per_row(x, out):
    row = cuda.grid(1) // 32
    lane = cuda.laneid
    if row >= x.shape[0]:
        return
    m = -1e30
    for j in range(lane, x.shape[1], 32):
        m = max(m, x[row, j])
    off = 16
    while off > 0:
        m = max(m, cuda.shfl_xor_sync(0xFFFFFFFF, m, off))
        off //= 2
    s = float32(0.0)
    for j in range(lane, x.shape[1], 32):
        s += math.exp(x[row, j] - m)
    off = 16
    while off > 0:
        s += cuda.shfl_xor_sync(0xFFFFFFFF, s, off)
        off //= 2
    for j in range(lane, x.shape[1], 32):
        out[row, j] = math.exp(x[row, j] - m) / s


def gelu_tanh(x, out):
    i = cuda.grid(1)
    if i < x.size:
        v = x[i]
        c = math.sqrt(2.0 / math.pi)
        out[i] = 0.5 * v * (1.0 + math.tanh(c * (v + 0.044715 * v * v * v)))


def silu(x, out):
    i = cuda.grid(1)
    if i < x.size:
        v = x[i]
        out[i] = v / (float32(1.0) + math.exp(-v))


def warp_inclusive_scan(a, out):
    i = cuda.grid(1)
    lane = cuda.threadIdx.x % 32
    v = a[i]
    offset = 1
    while offset < 32:
        n = cuda.shfl_up_sync(0xFFFFFFFF, v, offset)
        if lane >= offset:
            v += n
        offset *= 2
    out[i] = v


def warp_aggregated_compact(a, out, counter):
    i = cuda.grid(1)
    keep = a[i] > 0
    mask = cuda.ballot_sync(0xFFFFFFFF, keep)
    lane = cuda.laneid
    leader = cuda.ffs(mask) - 1
    base = 0
    if lane == leader:
        base = cuda.atomic.add(counter, 0, cuda.popc(mask))
    base = cuda.shfl_sync(0xFFFFFFFF, base, leader)
    if keep:
        out[base + cuda.popc(mask & cuda.lanemask_lt())] = a[i]


def _ints(rng, n: int, high: int, dtype=np.int32) -> np.ndarray:
    return rng.integers(1, high, n, dtype=dtype)


CASES = [
    Case(
        "histogram_float_bins",
        histogram_float_bins,
        4,
        64,
        lambda r: [f32(r, 250), -2.0, 2.0, np.zeros(BINS, np.int32)],
    ),
    Case(
        "histogram_shared_bins",
        histogram_shared_bins,
        4,
        64,
        lambda r: [_ints(r, 250, 1000), np.zeros(BINS, np.int32)],
    ),
    Case(
        "argmax_rows_neg_inf",
        argmax_rows,
        2,
        32,
        lambda r: [f32(r, 50, 17), np.zeros(50, np.int32), np.zeros(50, np.float32)],
    ),
    Case(
        "argmin_rows_inf",
        argmin_rows,
        2,
        32,
        lambda r: [r.random((50, 17)), np.zeros(50, np.int64)],
    ),
    Case(
        "layer_norm_rows",
        layer_norm_rows,
        8,
        ROW_THREADS,
        lambda r: [f32(r, 8, 100), f32(r, 100), f32(r, 100), np.zeros((8, 100), np.float32), 1e-5],
    ),
    Case(
        "rms_norm_rows",
        rms_norm_rows,
        8,
        ROW_THREADS,
        lambda r: [f32(r, 8, 100), f32(r, 100), np.zeros((8, 100), np.float32)],
    ),
    Case(
        "softmax_thread_per_row",
        softmax_thread_per_row,
        2,
        32,
        lambda r: [f32(r, 50, 20) * 4, np.zeros((50, 20), np.float32)],
    ),
    Case(
        "softmax_block_per_row",
        softmax_block_per_row,
        8,
        ROW_THREADS,
        lambda r: [r.standard_normal((8, 100)) * 4, np.zeros((8, 100))],
    ),
    Case(
        "softmax_warp_per_row",
        softmax_warp_per_row,
        2,
        64,
        lambda r: [f32(r, 4, 50), np.zeros((4, 50), np.float32)],
    ),
    Case("gelu_tanh", gelu_tanh, 4, 64, lambda r: [f32(r, 250) * 3, np.zeros(250, np.float32)]),
    Case("silu", silu, 4, 64, lambda r: [f32(r, 250) * 3, np.zeros(250, np.float32)]),
    Case(
        "warp_inclusive_scan",
        warp_inclusive_scan,
        2,
        64,
        lambda r: [r.integers(0, 9, 128, dtype=np.int32), np.zeros(128, np.int32)],
    ),
    Case(
        "warp_aggregated_compact",
        warp_aggregated_compact,
        2,
        64,
        lambda r: [f32(r, 128), np.zeros(128, np.float32), np.zeros(1, np.int32)],
    ),
]
