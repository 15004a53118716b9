"""Buggy numba.cuda kernels as learners write them, for the second tier survey: guards off
by one or missing, a left neighbour read at index -1, swapped 2-D guards, missing barriers, a
histogram without atomics, an uninitialised or out-of-bounds shared read, integer division by
zero (see survey_grids.py)."""

import numpy as np
from numba import float64, int32

from cudalike import cuda
from tests.cudalike.compiled.survey_grids import Case, f32

BLOCK = 64


def off_by_one_guard(a, out):
    i = cuda.grid(1)
    if i <= a.size:
        out[i] = a[i] * 2


def missing_guard(a, out):
    i = cuda.grid(1)
    out[i] = a[i] + 1


def swapped_2d_guard(a, out):
    row, col = cuda.grid(2)
    if row < a.shape[1] and col < a.shape[0]:
        out[row, col] = a[row, col]


def left_neighbour(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = a[i] - a[i - 1]


def reverse_missing_sync(a, out):
    sh = cuda.shared.array(BLOCK, int32)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    sh[tid] = a[i]
    out[i] = sh[BLOCK - 1 - tid]


def blelloch_missing_sync(a, out):
    sh = cuda.shared.array(BLOCK, float64)
    tid = cuda.threadIdx.x
    n = cuda.blockDim.x
    i = cuda.grid(1)
    sh[tid] = a[i]
    stride = 1
    while stride < n:
        cuda.syncthreads()
        idx = (tid + 1) * stride * 2 - 1
        if idx < n:
            sh[idx] += sh[idx - stride]
        stride *= 2
    if tid == n - 1:
        sh[tid] = 0.0
    stride = n // 2
    while stride > 0:
        cuda.syncthreads()
        idx = (tid + 1) * stride * 2 - 1
        if idx < n:
            t = sh[idx - stride]
            sh[idx - stride] = sh[idx]
            sh[idx] += t
        stride //= 2
    cuda.syncthreads()
    out[i] = sh[tid]


def histogram_no_atomic(data, hist):
    i = cuda.grid(1)
    if i < data.size:
        hist[data[i] % 8] += 1


def uninitialised_shared(a, out):
    sh = cuda.shared.array(BLOCK, float64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    if tid < BLOCK // 2:
        sh[tid] = a[i]
    cuda.syncthreads()
    out[i] = sh[BLOCK - 1 - tid]


def shared_out_of_bounds(a, out):
    sh = cuda.shared.array(BLOCK, float64)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    sh[tid + 1] = a[i]
    cuda.syncthreads()
    out[i] = sh[tid]


def int_division_by_zero(a, b, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = a[i] // b[i] + a[i] % b[i]


def _with_zero(rng, n: int) -> np.ndarray:
    b = rng.integers(1, 9, n, dtype=np.int32)
    b[n // 2] = 0
    return b


def _pair(rng, n: int, dtype=np.float64):
    return [rng.standard_normal(n).astype(dtype), np.zeros(n, dtype)]


CASES = [
    Case("off_by_one_guard", off_by_one_guard, 4, BLOCK, lambda r: _pair(r, 250, np.float32)),
    Case("missing_guard", missing_guard, 4, BLOCK, lambda r: _pair(r, 250)),
    Case(
        "swapped_2d_guard",
        swapped_2d_guard,
        (3, 3),
        (16, 16),
        lambda r: [f32(r, 30, 40), np.zeros((30, 40), np.float32)],
    ),
    Case("left_neighbour_minus_one", left_neighbour, 2, BLOCK, lambda r: _pair(r, 100)),
    Case(
        "reverse_missing_sync",
        reverse_missing_sync,
        2,
        BLOCK,
        lambda r: [r.integers(0, 99, 2 * BLOCK, dtype=np.int32), np.zeros(2 * BLOCK, np.int32)],
    ),
    Case("blelloch_missing_sync", blelloch_missing_sync, 2, BLOCK, lambda r: _pair(r, 2 * BLOCK)),
    Case(
        "histogram_no_atomic",
        histogram_no_atomic,
        2,
        BLOCK,
        lambda r: [r.integers(0, 99, 100, dtype=np.int32), np.zeros(8, np.int32)],
    ),
    Case("uninitialised_shared", uninitialised_shared, 2, BLOCK, lambda r: _pair(r, 2 * BLOCK)),
    Case("shared_out_of_bounds", shared_out_of_bounds, 2, BLOCK, lambda r: _pair(r, 2 * BLOCK)),
    Case(
        "int_division_by_zero",
        int_division_by_zero,
        2,
        BLOCK,
        lambda r: [
            r.integers(-99, 99, 100, dtype=np.int32),
            _with_zero(r, 100),
            np.zeros(100, np.int32),
        ],
    ),
]
