"""Classic numba.cuda kernels for a second tier survey: transposes, matrix-vector products,
convolutions, shared-memory scans and sorts, n-body, norms and softmax rows, hashes and
device-function habits, each written as the tutorial, book or blog post it comes from writes
it (see survey_grids.py for the `Case` type). Buggy variants are in survey_bugs.py."""

import math

import numpy as np
from numba import float32, float64, int32

from cudalike import cuda
from tests.cudalike.compiled.survey_grids import Case, f32

TILE_DIM = 32
BLOCK_ROWS = 8
TPB = 16
SCAN = 64
BLUR_3X3 = np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]], np.float32) / np.float32(16)
HALO = 2


def transpose_naive(a, out):
    row = cuda.blockIdx.y * cuda.blockDim.y + cuda.threadIdx.y
    col = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    if row < a.shape[0] and col < a.shape[1]:
        out[col, row] = a[row, col]


def transpose_block_rows(idata, odata):
    tile = cuda.shared.array((TILE_DIM, TILE_DIM + 1), float32)
    x = cuda.blockIdx.x * TILE_DIM + cuda.threadIdx.x
    y = cuda.blockIdx.y * TILE_DIM + cuda.threadIdx.y
    for j in range(0, TILE_DIM, BLOCK_ROWS):
        tile[cuda.threadIdx.y + j, cuda.threadIdx.x] = idata[y + j, x]
    cuda.syncthreads()
    x = cuda.blockIdx.y * TILE_DIM + cuda.threadIdx.x
    y = cuda.blockIdx.x * TILE_DIM + cuda.threadIdx.y
    for j in range(0, TILE_DIM, BLOCK_ROWS):
        odata[y + j, x] = tile[cuda.threadIdx.x, cuda.threadIdx.y + j]


def matvec_warp_per_row(A, x, y):
    warp = cuda.grid(1) // 32
    lane = cuda.threadIdx.x % 32
    if warp >= A.shape[0]:
        return
    s = float32(0.0)
    for k in range(lane, A.shape[1], 32):
        s += A[warp, k] * x[k]
    offset = 16
    while offset > 0:
        s += cuda.shfl_down_sync(0xFFFFFFFF, s, offset)
        offset //= 2
    if lane == 0:
        y[warp] = s


def matvec_shared_x(A, x, y):
    xs = cuda.shared.array(TPB * 4, float32)
    row = cuda.grid(1)
    tid = cuda.threadIdx.x
    acc = float32(0.0)
    for start in range(0, A.shape[1], TPB * 4):
        for k in range(tid, TPB * 4, cuda.blockDim.x):
            if start + k < A.shape[1]:
                xs[k] = x[start + k]
        cuda.syncthreads()
        if row < A.shape[0]:
            for k in range(min(TPB * 4, A.shape[1] - start)):
                acc += A[row, start + k] * xs[k]
        cuda.syncthreads()
    if row < A.shape[0]:
        y[row] = acc


def conv2d_const(img, out):
    k = cuda.const.array_like(BLUR_3X3)
    y, x = cuda.grid(2)
    h, w = img.shape
    if y < h and x < w:
        acc = float32(0.0)
        for i in range(3):
            for j in range(3):
                yy = min(max(y + i - 1, 0), h - 1)
                xx = min(max(x + j - 1, 0), w - 1)
                acc += img[yy, xx] * k[i, j]
        out[y, x] = acc


def conv1d_shared_halo(a, w, out):
    tile = cuda.shared.array(SCAN + 2 * HALO, float32)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    n = a.size
    tile[tid + HALO] = a[i] if i < n else 0.0
    if tid < HALO:
        left = i - HALO
        right = i + cuda.blockDim.x
        tile[tid] = a[left] if left >= 0 else 0.0
        tile[tid + cuda.blockDim.x + HALO] = a[right] if right < n else 0.0
    cuda.syncthreads()
    if i < n:
        acc = float32(0.0)
        for k in range(2 * HALO + 1):
            acc += tile[tid + k] * w[k]
        out[i] = acc


def hillis_steele_sync_read(a, out):
    sh = cuda.shared.array(SCAN, int32)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    sh[tid] = a[i]
    cuda.syncthreads()
    offset = 1
    while offset < cuda.blockDim.x:
        val = 0
        if tid >= offset:
            val = sh[tid - offset]
        cuda.syncthreads()
        sh[tid] += val
        cuda.syncthreads()
        offset *= 2
    out[i] = sh[tid]


def blelloch_one_per_thread(a, out):
    sh = cuda.shared.array(SCAN, float64)
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
    cuda.syncthreads()
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


def bitonic_sort_shared(a):
    sh = cuda.shared.array(SCAN, float32)
    tid = cuda.threadIdx.x
    base = cuda.blockIdx.x * cuda.blockDim.x
    sh[tid] = a[base + tid]
    cuda.syncthreads()
    k = 2
    while k <= cuda.blockDim.x:
        j = k // 2
        while j > 0:
            ixj = tid ^ j
            if ixj > tid:
                up = (tid & k) == 0
                if (up and sh[tid] > sh[ixj]) or (not up and sh[tid] < sh[ixj]):
                    tmp = sh[tid]
                    sh[tid] = sh[ixj]
                    sh[ixj] = tmp
            cuda.syncthreads()
            j //= 2
        k *= 2
    a[base + tid] = sh[tid]


def odd_even_sort(a):
    sh = cuda.shared.array(SCAN, int32)
    tid = cuda.threadIdx.x
    n = cuda.blockDim.x
    base = cuda.blockIdx.x * n
    sh[tid] = a[base + tid]
    cuda.syncthreads()
    for phase in range(n):
        left = 2 * tid + (phase % 2)
        if left + 1 < n and tid < n // 2:
            if sh[left] > sh[left + 1]:
                sh[left], sh[left + 1] = sh[left + 1], sh[left]
        cuda.syncthreads()
    a[base + tid] = sh[tid]


def nbody_shared_tiles(pos, acc, soft):
    sp = cuda.shared.array((SCAN, 3), float32)
    i = cuda.grid(1)
    tid = cuda.threadIdx.x
    n = pos.shape[0]
    xi = pos[i, 0]
    yi = pos[i, 1]
    zi = pos[i, 2]
    ax = float32(0.0)
    ay = float32(0.0)
    az = float32(0.0)
    for tile in range(n // cuda.blockDim.x):
        j = tile * cuda.blockDim.x + tid
        for d in range(3):
            sp[tid, d] = pos[j, d]
        cuda.syncthreads()
        for k in range(cuda.blockDim.x):
            dx = sp[k, 0] - xi
            dy = sp[k, 1] - yi
            dz = sp[k, 2] - zi
            r = math.sqrt(dx * dx + dy * dy + dz * dz + soft)
            inv_r3 = float32(1.0) / r**3
            ax += dx * inv_r3
            ay += dy * inv_r3
            az += dz * inv_r3
        cuda.syncthreads()
    acc[i, 0] = ax
    acc[i, 1] = ay
    acc[i, 2] = az


def jacobi_heat_shared(u, out, steps, alpha):
    buf = cuda.shared.array((2, SCAN), float64)
    tid = cuda.threadIdx.x
    n = cuda.blockDim.x
    i = cuda.grid(1)
    buf[0, tid] = u[i]
    cuda.syncthreads()
    src = 0
    for _ in range(steps):
        dst = 1 - src
        if tid == 0 or tid == n - 1:
            buf[dst, tid] = buf[src, tid]
        else:
            c = buf[src, tid]
            buf[dst, tid] = c + alpha * (buf[src, tid - 1] - 2.0 * c + buf[src, tid + 1])
        cuda.syncthreads()
        src = dst
    out[i] = buf[src, tid]


def midpoint_pi(n, result):
    partial = cuda.shared.array(SCAN, float64)
    tid = cuda.threadIdx.x
    h = 1.0 / n
    s = 0.0
    for k in range(cuda.grid(1), n, cuda.gridsize(1)):
        x = (k + 0.5) * h
        s += 4.0 / (1.0 + x * x)
    partial[tid] = s * h
    cuda.syncthreads()
    half = cuda.blockDim.x // 2
    while half > 0:
        if tid < half:
            partial[tid] += partial[tid + half]
        cuda.syncthreads()
        half //= 2
    if tid == 0:
        cuda.atomic.add(result, 0, partial[0])


def fast_matmul(A, B, C):
    sA = cuda.shared.array(shape=(TPB, TPB), dtype=float32)
    sB = cuda.shared.array(shape=(TPB, TPB), dtype=float32)
    x, y = cuda.grid(2)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    bpg = cuda.gridDim.x
    tmp = float32(0.0)
    for i in range(bpg):
        sA[ty, tx] = 0
        sB[ty, tx] = 0
        if y < A.shape[0] and (tx + i * TPB) < A.shape[1]:
            sA[ty, tx] = A[y, tx + i * TPB]
        if x < B.shape[1] and (ty + i * TPB) < B.shape[0]:
            sB[ty, tx] = B[ty + i * TPB, x]
        cuda.syncthreads()
        for j in range(TPB):
            tmp += sA[ty, j] * sB[j, tx]
        cuda.syncthreads()
    if y < C.shape[0] and x < C.shape[1]:
        C[y, x] = tmp


def _tile_multiple(rng):
    return [f32(rng, 64, 96), np.zeros((96, 64), np.float32)]


CASES = [
    Case(
        "transpose_naive_ymajor",
        transpose_naive,
        (3, 4),
        (16, 16),
        lambda r: [f32(r, 50, 37), np.zeros((37, 50), np.float32)],
    ),
    Case(
        "transpose_block_rows", transpose_block_rows, (3, 2), (TILE_DIM, BLOCK_ROWS), _tile_multiple
    ),
    Case(
        "matvec_warp_per_row",
        matvec_warp_per_row,
        2,
        128,
        lambda r: [f32(r, 7, 70), f32(r, 70), np.zeros(7, np.float32)],
    ),
    Case(
        "matvec_shared_x",
        matvec_shared_x,
        2,
        TPB * 2,
        lambda r: [f32(r, 50, 150), f32(r, 150), np.zeros(50, np.float32)],
    ),
    Case(
        "conv2d_const_3x3",
        conv2d_const,
        (2, 3),
        (16, 16),
        lambda r: [f32(r, 30, 40), np.zeros((30, 40), np.float32)],
    ),
    Case(
        "conv1d_shared_halo",
        conv1d_shared_halo,
        4,
        SCAN,
        lambda r: [f32(r, 230), f32(r, 2 * HALO + 1), np.zeros(230, np.float32)],
    ),
    Case(
        "hillis_steele_sync_read",
        hillis_steele_sync_read,
        3,
        SCAN,
        lambda r: [r.integers(-50, 50, 3 * SCAN, dtype=np.int32), np.zeros(3 * SCAN, np.int32)],
    ),
    Case(
        "blelloch_one_per_thread",
        blelloch_one_per_thread,
        3,
        SCAN,
        lambda r: [r.standard_normal(3 * SCAN), np.zeros(3 * SCAN)],
    ),
    Case("bitonic_sort_shared", bitonic_sort_shared, 3, SCAN, lambda r: [f32(r, 3 * SCAN)]),
    Case(
        "odd_even_sort",
        odd_even_sort,
        2,
        SCAN,
        lambda r: [r.integers(-99, 99, 2 * SCAN, dtype=np.int32)],
    ),
    Case(
        "nbody_shared_tiles",
        nbody_shared_tiles,
        2,
        SCAN,
        lambda r: [f32(r, 2 * SCAN, 3), np.zeros((2 * SCAN, 3), np.float32), np.float32(0.01)],
    ),
    Case(
        "jacobi_heat_shared",
        jacobi_heat_shared,
        2,
        SCAN,
        lambda r: [r.random(2 * SCAN), np.zeros(2 * SCAN), 20, 0.25],
    ),
    Case("midpoint_pi", midpoint_pi, 4, SCAN, lambda r: [10_000, np.zeros(1)]),
    Case(
        "fast_matmul_docs",
        fast_matmul,
        (3, 3),
        (TPB, TPB),
        lambda r: [f32(r, 40, 37), f32(r, 37, 45), np.zeros((40, 45), np.float32)],
    ),
]
