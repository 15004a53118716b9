"""Tutorial-style kernels for the tier survey: linear algebra, N-body, scans, sorts,
reductions and atomics (see survey_grids.py)."""

import math

import numpy as np
from numba import float32, float64, int32, int64

from cudalike import cuda
from tests.cudalike.compiled.survey_grids import Case, f32


def spmv_csr(indptr, indices, data, x, y):
    row = cuda.grid(1)
    if row < y.size:
        s = 0.0
        for jj in range(indptr[row], indptr[row + 1]):
            s += data[jj] * x[indices[jj]]
        y[row] = s


def jacobi_system(A, b, x, xnew):
    i = cuda.grid(1)
    if i < x.size:
        sigma = 0.0
        for j in range(A.shape[1]):
            if j == i:
                continue
            sigma += A[i, j] * x[j]
        xnew[i] = (b[i] - sigma) / A[i, i]


def matvec(A, x, y):
    row = cuda.grid(1)
    if row < A.shape[0]:
        s = 0.0
        for k in range(A.shape[1]):
            s += A[row, k] * x[k]
        y[row] = s


def nbody(pos, mass, acc, eps2):
    i = cuda.grid(1)
    if i >= pos.shape[0]:
        return
    xi = pos[i, 0]
    yi = pos[i, 1]
    zi = pos[i, 2]
    ax = 0.0
    ay = 0.0
    az = 0.0
    for j in range(pos.shape[0]):
        dx = pos[j, 0] - xi
        dy = pos[j, 1] - yi
        dz = pos[j, 2] - zi
        d2 = dx * dx + dy * dy + dz * dz + eps2
        s = mass[j] / (d2 * math.sqrt(d2))
        ax += dx * s
        ay += dy * s
        az += dz * s
    acc[i, 0] = ax
    acc[i, 1] = ay
    acc[i, 2] = az


def row_sums_f64(a, out):
    r = cuda.grid(1)
    if r < a.shape[0]:
        acc = float64(0.0)
        for c in range(a.shape[1]):
            acc += a[r, c]
        out[r] = acc


def hillis_steele(a, out):
    temp = cuda.shared.array(256, float32)
    tid = cuda.threadIdx.x
    n = cuda.blockDim.x
    i = cuda.blockIdx.x * n + tid
    pout = 0
    pin = 1
    temp[tid] = a[i]
    cuda.syncthreads()
    offset = 1
    while offset < n:
        pout = 1 - pout
        pin = 1 - pout
        if tid >= offset:
            temp[pout * n + tid] = temp[pin * n + tid] + temp[pin * n + tid - offset]
        else:
            temp[pout * n + tid] = temp[pin * n + tid]
        cuda.syncthreads()
        offset *= 2
    out[i] = temp[pout * n + tid]


def blelloch(a, out):
    temp = cuda.shared.array(256, int32)
    tid = cuda.threadIdx.x
    n = 2 * cuda.blockDim.x
    base = cuda.blockIdx.x * n
    temp[2 * tid] = a[base + 2 * tid]
    temp[2 * tid + 1] = a[base + 2 * tid + 1]
    offset = 1
    d = n >> 1
    while d > 0:
        cuda.syncthreads()
        if tid < d:
            ai = offset * (2 * tid + 1) - 1
            bi = offset * (2 * tid + 2) - 1
            temp[bi] += temp[ai]
        offset *= 2
        d >>= 1
    if tid == 0:
        temp[n - 1] = 0
    d = 1
    while d < n:
        offset >>= 1
        cuda.syncthreads()
        if tid < d:
            ai = offset * (2 * tid + 1) - 1
            bi = offset * (2 * tid + 2) - 1
            t = temp[ai]
            temp[ai] = temp[bi]
            temp[bi] += t
        d *= 2
    cuda.syncthreads()
    out[base + 2 * tid] = temp[2 * tid]
    out[base + 2 * tid + 1] = temp[2 * tid + 1]


def bitonic_step(a, j, k):
    i = cuda.grid(1)
    ixj = i ^ j
    if ixj > i and ixj < a.size:
        if (i & k) == 0:
            if a[i] > a[ixj]:
                a[i], a[ixj] = a[ixj], a[i]
        else:
            if a[i] < a[ixj]:
                a[i], a[ixj] = a[ixj], a[i]


def dot_shared(a, b, result):
    cache = cuda.shared.array(128, float32)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    temp = float32(0.0)
    while i < a.size:
        temp += a[i] * b[i]
        i += cuda.gridsize(1)
    cache[tid] = temp
    cuda.syncthreads()
    s = cuda.blockDim.x // 2
    while s != 0:
        if tid < s:
            cache[tid] += cache[tid + s]
        cuda.syncthreads()
        s //= 2
    if tid == 0:
        cuda.atomic.add(result, 0, cache[0])


def block_sum_2d(a, out):
    cache = cuda.shared.array(256, float64)
    t = cuda.threadIdx.y * cuda.blockDim.x + cuda.threadIdx.x
    x, y = cuda.grid(2)
    v = 0.0
    if x < a.shape[0] and y < a.shape[1]:
        v = a[x, y]
    cache[t] = v
    cuda.syncthreads()
    s = cuda.blockDim.x * cuda.blockDim.y // 2
    while s > 0:
        if t < s:
            cache[t] += cache[t + s]
        cuda.syncthreads()
        s //= 2
    if t == 0:
        out[cuda.blockIdx.x, cuda.blockIdx.y] = cache[0]


def histogram_uint8(data, hist):
    local = cuda.shared.array(256, int32)
    tid = cuda.threadIdx.x
    for b in range(tid, 256, cuda.blockDim.x):
        local[b] = 0
    cuda.syncthreads()
    start = cuda.grid(1)
    stride = cuda.gridsize(1)
    for k in range(start, data.size, stride):
        cuda.atomic.add(local, data[k], 1)
    cuda.syncthreads()
    for b in range(tid, 256, cuda.blockDim.x):
        cuda.atomic.add(hist, b, local[b])


def max_atomic_int(a, result):
    i = cuda.grid(1)
    if i < a.size:
        cuda.atomic.max(result, 0, a[i])


def max_atomic_float(a, result):
    i = cuda.grid(1)
    if i < a.size:
        cuda.atomic.max(result, 0, a[i])


def argmax_packed(a, result):
    i = cuda.grid(1)
    if i < a.size:
        key = (int64(a[i]) << 32) | i
        cuda.atomic.max(result, 0, key)


def cas_tickets(counter, tickets):
    i = cuda.grid(1)
    if i < tickets.size:
        old = 0
        while True:
            prev = cuda.atomic.compare_and_swap(counter, old, old + 1)
            if prev == old:
                break
            old = prev
        tickets[i] = old


def histogram_2d(xs, ys, hist):
    i = cuda.grid(1)
    if i < xs.size:
        cuda.atomic.add(hist, (xs[i], ys[i]), 1)


def atomic_inc_tickets(counter, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = cuda.atomic.inc(counter, 0, 1000)


def mean_of_positives(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        total = float32(0.0)
        count = 0
        for c in range(a.shape[1]):
            if a[i, c] > 0:
                total += a[i, c]
                count += 1
        if count > 0:
            out[i] = total / count


def _csr(rng, rows: int, cols: int):
    dense = rng.random((rows, cols)) < 0.1
    indptr = np.concatenate([[0], np.cumsum(dense.sum(axis=1))]).astype(np.int32)
    indices = np.nonzero(dense)[1].astype(np.int32)
    data = rng.standard_normal(indices.size).astype(np.float32)
    return [indptr, indices, data, f32(rng, cols), np.zeros(rows, np.float32)]


def _diagonal_system(rng, n: int):
    A = rng.standard_normal((n, n)) + n * np.eye(n)
    return [A, rng.standard_normal(n), rng.standard_normal(n), np.zeros(n)]


CASES = [
    Case("spmv_csr", spmv_csr, 2, 64, lambda r: _csr(r, 100, 80)),
    Case("jacobi_system", jacobi_system, 1, 64, lambda r: _diagonal_system(r, 50)),
    Case("matvec", matvec, 2, 32, lambda r: [f32(r, 50, 30), f32(r, 30), np.zeros(50, np.float32)]),
    Case(
        "nbody",
        nbody,
        2,
        64,
        lambda r: [r.standard_normal((100, 3)), r.random(100), np.zeros((100, 3)), 0.01],
    ),
    Case("row_sums_f64", row_sums_f64, 2, 32, lambda r: [f32(r, 50, 30), np.zeros(50, np.float32)]),
    Case(
        "hillis_steele", hillis_steele, 4, 128, lambda r: [f32(r, 512), np.zeros(512, np.float32)]
    ),
    Case(
        "blelloch",
        blelloch,
        4,
        128,
        lambda r: [r.integers(0, 9, 1024, dtype=np.int32), np.zeros(1024, np.int32)],
    ),
    Case(
        "bitonic_step",
        bitonic_step,
        4,
        64,
        lambda r: [r.integers(0, 999, 256, dtype=np.int32), 4, 8],
    ),
    Case(
        "dot_shared",
        dot_shared,
        4,
        128,
        lambda r: [f32(r, 3000), f32(r, 3000), np.zeros(1, np.float32)],
    ),
    Case(
        "block_sum_2d",
        block_sum_2d,
        (3, 2),
        (16, 16),
        lambda r: [r.random((40, 30)), np.zeros((3, 2))],
    ),
    Case(
        "histogram_uint8",
        histogram_uint8,
        4,
        128,
        lambda r: [r.integers(0, 256, 5000, dtype=np.uint8), np.zeros(256, np.int32)],
    ),
    Case(
        "max_atomic_int",
        max_atomic_int,
        4,
        128,
        lambda r: [r.integers(-999, 999, 500, dtype=np.int32), np.full(1, -(2**31), np.int32)],
    ),
    Case(
        "max_atomic_float",
        max_atomic_float,
        4,
        128,
        lambda r: [f32(r, 500), np.full(1, -np.inf, np.float32)],
    ),
    Case(
        "argmax_packed",
        argmax_packed,
        4,
        128,
        lambda r: [r.integers(0, 999, 500, dtype=np.int32), np.zeros(1, np.int64)],
    ),
    Case(
        "cas_tickets",
        cas_tickets,
        2,
        64,
        lambda r: [np.zeros(1, np.int32), np.zeros(100, np.int32)],
    ),
    Case(
        "histogram_2d",
        histogram_2d,
        2,
        64,
        lambda r: [
            r.integers(0, 4, 100, dtype=np.int32),
            r.integers(0, 5, 100, dtype=np.int32),
            np.zeros((4, 5), np.int32),
        ],
    ),
    Case(
        "atomic_inc_tickets",
        atomic_inc_tickets,
        2,
        64,
        lambda r: [np.zeros(1, np.uint32), np.zeros(100, np.uint32)],
    ),
    Case(
        "mean_of_positives",
        mean_of_positives,
        2,
        32,
        lambda r: [f32(r, 50, 10), np.zeros(50, np.float32)],
    ),
]
