"""Kernels written as numba.cuda tutorials and courses write them, for the tier survey.

Each `Case` names a kernel, its launch and a function making its arguments from a random
generator; test_survey_kernels.py runs every case under both tiers. The kernels are left
undecorated (device functions carry `@cuda.jit(device=True)`).
"""

import dataclasses
import math
from collections.abc import Callable

import numba
import numpy as np
from numba import float32, float64, int32, int64, uint8

from cudalike import cuda

CONV_MASK = np.array([0.0625, 0.25, 0.375, 0.25, 0.0625], np.float32)
TILE = 16
HALO_TILE = 18  # TILE plus a one-element halo on each side


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    kernel: Callable
    griddim: object
    blockdim: object
    make_args: Callable


# ---- grids and indexing ---------------------------------------------------------------------
def grid_stride_for(a, out):
    start = cuda.grid(1)
    stride = cuda.gridsize(1)
    for i in range(start, a.size, stride):
        out[i] = a[i] * 2.0 + 1.0


def grid_stride_while(a, out):
    i = cuda.grid(1)
    while i < a.size:
        out[i] = a[i] * a[i]
        i += cuda.blockDim.x * cuda.gridDim.x


def add_2d(a, b, out):
    x, y = cuda.grid(2)
    if x < out.shape[0] and y < out.shape[1]:
        out[x, y] = a[x, y] + b[x, y]


def fill_3d(out):
    x, y, z = cuda.grid(3)
    if x < out.shape[0] and y < out.shape[1] and z < out.shape[2]:
        out[x, y, z] = x * 100 + y * 10 + z


def stride_2d(a, out):
    x0, y0 = cuda.grid(2)
    sx, sy = cuda.gridsize(2)
    for x in range(x0, a.shape[0], sx):
        for y in range(y0, a.shape[1], sy):
            out[x, y] = 2 * a[x, y]


def saxpy_indices(alpha, x, y):
    i = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    if i < x.shape[0]:
        y[i] = alpha * x[i] + y[i]


def reverse_block(a, out):
    buf = cuda.shared.array(64, int32)
    t = cuda.threadIdx.x
    base = cuda.blockIdx.x * cuda.blockDim.x
    buf[t] = a[base + t]
    cuda.syncthreads()
    out[base + t] = buf[cuda.blockDim.x - 1 - t]


# ---- images and stencils --------------------------------------------------------------------
def conv1d_const(a, out):
    mask = cuda.const.array_like(CONV_MASK)
    i = cuda.grid(1)
    if i < out.size:
        r = mask.size // 2
        acc = float32(0.0)
        for k in range(mask.size):
            j = i + k - r
            if j >= 0 and j < a.size:
                acc += a[j] * mask[k]
        out[i] = acc


def grayscale(rgb, gray):
    y, x = cuda.grid(2)
    if y < gray.shape[0] and x < gray.shape[1]:
        r = rgb[y, x, 0]
        g = rgb[y, x, 1]
        b = rgb[y, x, 2]
        gray[y, x] = uint8(0.299 * r + 0.587 * g + 0.114 * b)


def threshold(img, out, level):
    y, x = cuda.grid(2)
    if y < img.shape[0] and x < img.shape[1]:
        if img[y, x] > level:
            out[y, x] = 255
        else:
            out[y, x] = 0


def box_blur(img, out):
    y, x = cuda.grid(2)
    h, w = img.shape
    if y >= h or x >= w:
        return
    total = float32(0.0)
    count = 0
    for dy in range(-1, 2):
        for dx in range(-1, 2):
            yy = y + dy
            xx = x + dx
            if yy >= 0 and yy < h and xx >= 0 and xx < w:
                total += img[yy, xx]
                count += 1
    out[y, x] = total / count


def box_blur_uint8(img, out):
    y, x = cuda.grid(2)
    if y >= 1 and y < img.shape[0] - 1 and x >= 1 and x < img.shape[1] - 1:
        total = 0
        for dy in range(-1, 2):
            for dx in range(-1, 2):
                total += int32(img[y + dy, x + dx])
        out[y, x] = total // 9


def sobel(img, out):
    y, x = cuda.grid(2)
    if 0 < y < img.shape[0] - 1 and 0 < x < img.shape[1] - 1:
        gx = (img[y - 1, x + 1] + 2 * img[y, x + 1] + img[y + 1, x + 1]) - (
            img[y - 1, x - 1] + 2 * img[y, x - 1] + img[y + 1, x - 1]
        )
        gy = (img[y + 1, x - 1] + 2 * img[y + 1, x] + img[y + 1, x + 1]) - (
            img[y - 1, x - 1] + 2 * img[y - 1, x] + img[y - 1, x + 1]
        )
        out[y, x] = math.sqrt(gx * gx + gy * gy)


def blur_shared_2d(a, out):
    tile = cuda.shared.array((HALO_TILE, HALO_TILE), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    x, y = cuda.grid(2)
    n, m = a.shape
    for dx in range(tx, HALO_TILE, TILE):
        for dy in range(ty, HALO_TILE, TILE):
            gx = min(max(cuda.blockIdx.x * TILE + dx - 1, 0), n - 1)
            gy = min(max(cuda.blockIdx.y * TILE + dy - 1, 0), m - 1)
            tile[dx, dy] = a[gx, gy]
    cuda.syncthreads()
    if x < n and y < m:
        c = tile[tx + 1, ty + 1]
        around = tile[tx, ty + 1] + tile[tx + 2, ty + 1] + tile[tx + 1, ty] + tile[tx + 1, ty + 2]
        out[x, y] = (c + around) / 5


def jacobi_poisson(u, f, unew, h2):
    i, j = cuda.grid(2)
    n, m = u.shape
    if i >= 1 and i < n - 1 and j >= 1 and j < m - 1:
        unew[i, j] = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] - h2 * f[i, j])


def transpose_tile(a, out):
    tile = cuda.shared.array((TILE, TILE + 1), float32)
    x = cuda.blockIdx.x * TILE + cuda.threadIdx.x
    y = cuda.blockIdx.y * TILE + cuda.threadIdx.y
    if y < a.shape[0] and x < a.shape[1]:
        tile[cuda.threadIdx.y, cuda.threadIdx.x] = a[y, x]
    cuda.syncthreads()
    x = cuda.blockIdx.y * TILE + cuda.threadIdx.x
    y = cuda.blockIdx.x * TILE + cuda.threadIdx.y
    if y < out.shape[0] and x < out.shape[1]:
        out[y, x] = tile[cuda.threadIdx.x, cuda.threadIdx.y]


# ---- linear algebra and simulation ---------------------------------------------------------
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


# ---- scans, sorts and reductions -------------------------------------------------------------
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


# ---- device functions -------------------------------------------------------------------
@cuda.jit(device=True)
def min_max(a, b):
    if a < b:
        return a, b
    return b, a


def sort_pairs(x, y, lo, hi):
    i = cuda.grid(1)
    if i < x.size:
        small, large = min_max(x[i], y[i])
        lo[i] = small
        hi[i] = large


@cuda.jit(device=True)
def to_polar(x, y):
    return math.sqrt(x * x + y * y), math.atan2(y, x)


def polar(x, y, r, theta):
    i = cuda.grid(1)
    if i < x.size:
        r[i], theta[i] = to_polar(x[i], y[i])


@cuda.jit(device=True)
def square(v):
    return v * v


@cuda.jit(device=True)
def norm2(x, y):
    return math.sqrt(square(x) + square(y))


def nested_device(x, y, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = norm2(x[i], y[i])


@cuda.jit(device=True)
def clamp01(v):
    if v < 0:
        return 0.0
    if v > 1:
        return 1.0
    return v


def clamp_device(x, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = clamp01(x[i])


# ---- control flow, numbers and math -------------------------------------------------------
def leaky_relu_guard(a, out):
    i = cuda.grid(1)
    if i >= a.size:
        return
    v = a[i]
    out[i] = v if v > 0 else 0.01 * v


def first_above(a, level, idx):
    r = cuda.grid(1)
    if r < a.shape[0]:
        found = -1
        for c in range(a.shape[1]):
            if a[r, c] > level:
                found = c
                break
        idx[r] = found


def sum_positive(a, out):
    r = cuda.grid(1)
    if r < a.shape[0]:
        s = float32(0.0)
        for c in range(a.shape[1]):
            if a[r, c] <= 0:
                continue
            s += a[r, c]
        out[r] = s


def collatz(start, steps):
    i = cuda.grid(1)
    if i < start.size:
        n = start[i]
        c = 0
        while n != 1:
            if n % 2 == 0:
                n //= 2
            else:
                n = 3 * n + 1
            c += 1
        steps[i] = c


def classify(x, out):
    i = cuda.grid(1)
    if i < x.size:
        v = x[i]
        out[i] = 1 if (v > 0 and v < 0.5) or v < -0.9 else (2 if not v > 0 else 3)


def int_div_mod(a, b, q, r):
    i = cuda.grid(1)
    if i < a.size:
        q[i] = a[i] // b[i]
        r[i] = a[i] % b[i]


def digit_counts(a, out):
    i = cuda.grid(1)
    if i < a.size:
        counts = cuda.local.array(10, int32)
        for d in range(10):
            counts[d] = 0
        v = a[i]
        while v > 0:
            counts[v % 10] += 1
            v //= 10
        best = 0
        for d in range(1, 10):
            if counts[d] > counts[best]:
                best = d
        out[i] = best


def bit_tricks(a, out):
    i = cuda.grid(1)
    if i < a.size:
        v = a[i]
        c = 0
        while v:
            v &= v - 1
            c += 1
        p = a[i] - 1
        p |= p >> 1
        p |= p >> 2
        p |= p >> 4
        p |= p >> 8
        p |= p >> 16
        out[i, 0] = c
        out[i, 1] = p + 1
        out[i, 2] = (a[i] << 3) ^ (a[i] >> 5)


def math_mix(x, out):
    i = cuda.grid(1)
    if i < x.size:
        v = x[i]
        out[i] = (
            math.sqrt(math.fabs(v))
            + math.exp(-v * v)
            + math.log(1 + math.fabs(v))
            + math.sin(v) * math.cos(v)
            + math.pow(math.fabs(v), 1.5)
            + math.floor(v)
        )


def math_erf(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = math.erf(x[i])


def casts(a, out_i, out_f):
    i = cuda.grid(1)
    if i < a.size:
        out_i[i] = int32(a[i] * 10.0)
        out_f[i] = float32(int32(a[i]) * 3) / float32(7)


def numba_module_casts(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = numba.float32(numba.int32(a[i]) % 5) * numba.float32(0.5)


# ---- more tutorial habits -------------------------------------------------------------------
def bool_flag(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        found = False
        for c in range(a.shape[1]):
            if a[i, c] > 1.0:
                found = True
        if found:
            out[i] = 1
        else:
            out[i] = 0


def len_and_builtin_casts(a, out_i, out_f):
    i = cuda.grid(1)
    if i < len(a):
        out_i[i] = int(a[i] * 3)
        out_f[i] = float(i) / 2


def reverse_range(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        s = 0.0
        for k in range(a.shape[1] - 1, -1, -1):
            s = s * 0.5 + a[i, k]
        out[i] = s


def fibonacci_swap(out):
    i = cuda.grid(1)
    if i < out.size:
        a = 0
        b = 1
        for _ in range(i % 40):
            a, b = b, a + b
        out[i] = a


@cuda.jit(device=True)
def live_neighbours(grid, i, j):
    n, m = grid.shape
    count = 0
    for di in range(-1, 2):
        for dj in range(-1, 2):
            if di != 0 or dj != 0:
                count += grid[(i + di) % n, (j + dj) % m]
    return count


def game_of_life(grid, out):
    i, j = cuda.grid(2)
    if i < grid.shape[0] and j < grid.shape[1]:
        alive = live_neighbours(grid, i, j)
        if alive == 3 or (alive == 2 and grid[i, j] == 1):
            out[i, j] = 1
        else:
            out[i, j] = 0


def shared_keywords(a, out):
    buf = cuda.shared.array(shape=64, dtype=numba.float32)
    t = cuda.threadIdx.x
    i = cuda.grid(1)
    buf[t] = a[i]
    cuda.syncthreads()
    out[i] = buf[(t + 1) % 64]


def np_casts(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = np.float32(a[i]) * np.float32(2) + np.int32(3)


def histogram_2d(xs, ys, hist):
    i = cuda.grid(1)
    if i < xs.size:
        cuda.atomic.add(hist, (xs[i], ys[i]), 1)


def return_in_loop(a, out):
    i = cuda.grid(1)
    if i >= a.shape[0]:
        return
    for c in range(a.shape[1]):
        if a[i, c] < -1.0:
            out[i] = c
            return
    out[i] = -1


def pi_min_max(a, out):
    i = cuda.grid(1)
    if i < a.size:
        v = a[i]
        out[i] = min(v, 1.0, max(v * math.pi, -1.0)) + abs(i - 5)


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


def while_true_break(a, out):
    i = cuda.grid(1)
    if i < a.size:
        x = a[i]
        k = 0
        while True:
            x = x * 0.5
            k += 1
            if x < 1:
                break
        out[i] = k


@cuda.jit(device=True)
def div_mod(a, b):
    return a // b, a % b


def device_tuple_divmod(x, out):
    i = cuda.grid(1)
    if i < x.size:
        q, r = div_mod(x[i], 7)
        out[i] = q * 10 + r


def first_thread_writes(out):
    if cuda.threadIdx.x == 0:
        out[cuda.blockIdx.x] = cuda.blockIdx.x * 2


# ---- arguments -----------------------------------------------------------------------------
def _f32(rng, *shape):
    return rng.standard_normal(shape).astype(np.float32)


def _csr(rng, rows: int, cols: int):
    dense = rng.random((rows, cols)) < 0.1
    indptr = np.concatenate([[0], np.cumsum(dense.sum(axis=1))]).astype(np.int32)
    indices = np.nonzero(dense)[1].astype(np.int32)
    data = rng.standard_normal(indices.size).astype(np.float32)
    return [indptr, indices, data, _f32(rng, cols), np.zeros(rows, np.float32)]


def _diagonal_system(rng, n: int):
    A = rng.standard_normal((n, n)) + n * np.eye(n)
    return [A, rng.standard_normal(n), rng.standard_normal(n), np.zeros(n)]


CASES = [
    Case(
        "grid_stride_for",
        grid_stride_for,
        4,
        64,
        lambda r: [_f32(r, 1000), np.zeros(1000, np.float32)],
    ),
    Case(
        "grid_stride_while",
        grid_stride_while,
        4,
        64,
        lambda r: [_f32(r, 1000), np.zeros(1000, np.float32)],
    ),
    Case(
        "add_2d",
        add_2d,
        (3, 5),
        (16, 8),
        lambda r: [_f32(r, 40, 37), _f32(r, 40, 37), np.zeros((40, 37), np.float32)],
    ),
    Case("fill_3d", fill_3d, (2, 2, 3), (4, 4, 4), lambda r: [np.zeros((7, 6, 9), np.int64)]),
    Case(
        "stride_2d",
        stride_2d,
        (2, 2),
        (8, 8),
        lambda r: [_f32(r, 50, 41), np.zeros((50, 41), np.float32)],
    ),
    Case(
        "saxpy_indices",
        saxpy_indices,
        4,
        128,
        lambda r: [np.float32(1.5), _f32(r, 500), _f32(r, 500)],
    ),
    Case(
        "reverse_block",
        reverse_block,
        4,
        64,
        lambda r: [r.integers(0, 99, 256, dtype=np.int32), np.zeros(256, np.int32)],
    ),
    Case("conv1d_const", conv1d_const, 4, 128, lambda r: [_f32(r, 500), np.zeros(500, np.float32)]),
    Case(
        "grayscale_uint8",
        grayscale,
        (3, 4),
        (16, 16),
        lambda r: [r.integers(0, 256, (40, 60, 3), dtype=np.uint8), np.zeros((40, 60), np.uint8)],
    ),
    Case(
        "threshold_uint8",
        threshold,
        (3, 4),
        (16, 16),
        lambda r: [r.integers(0, 256, (40, 60), dtype=np.uint8), np.zeros((40, 60), np.uint8), 128],
    ),
    Case(
        "box_blur_float32",
        box_blur,
        (3, 4),
        (16, 16),
        lambda r: [_f32(r, 40, 60), np.zeros((40, 60), np.float32)],
    ),
    Case(
        "box_blur_uint8",
        box_blur_uint8,
        (3, 4),
        (16, 16),
        lambda r: [r.integers(0, 256, (40, 60), dtype=np.uint8), np.zeros((40, 60), np.uint8)],
    ),
    Case(
        "sobel",
        sobel,
        (3, 4),
        (16, 16),
        lambda r: [_f32(r, 40, 60), np.zeros((40, 60), np.float32)],
    ),
    Case(
        "blur_shared_2d",
        blur_shared_2d,
        (3, 4),
        (TILE, TILE),
        lambda r: [_f32(r, 40, 60), np.zeros((40, 60), np.float32)],
    ),
    Case(
        "jacobi_poisson",
        jacobi_poisson,
        (3, 4),
        (16, 16),
        lambda r: [r.random((40, 60)), r.random((40, 60)), np.zeros((40, 60)), 0.01],
    ),
    Case(
        "transpose_tile",
        transpose_tile,
        (3, 4),
        (TILE, TILE),
        lambda r: [_f32(r, 60, 40), np.zeros((40, 60), np.float32)],
    ),
    Case("spmv_csr", spmv_csr, 2, 64, lambda r: _csr(r, 100, 80)),
    Case("jacobi_system", jacobi_system, 1, 64, lambda r: _diagonal_system(r, 50)),
    Case(
        "matvec", matvec, 2, 32, lambda r: [_f32(r, 50, 30), _f32(r, 30), np.zeros(50, np.float32)]
    ),
    Case(
        "nbody",
        nbody,
        2,
        64,
        lambda r: [r.standard_normal((100, 3)), r.random(100), np.zeros((100, 3)), 0.01],
    ),
    Case(
        "row_sums_f64", row_sums_f64, 2, 32, lambda r: [_f32(r, 50, 30), np.zeros(50, np.float32)]
    ),
    Case(
        "hillis_steele", hillis_steele, 4, 128, lambda r: [_f32(r, 512), np.zeros(512, np.float32)]
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
        lambda r: [_f32(r, 3000), _f32(r, 3000), np.zeros(1, np.float32)],
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
        lambda r: [_f32(r, 500), np.full(1, -np.inf, np.float32)],
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
        "device_tuple_min_max",
        sort_pairs,
        4,
        64,
        lambda r: [
            _f32(r, 200),
            _f32(r, 200),
            np.zeros(200, np.float32),
            np.zeros(200, np.float32),
        ],
    ),
    Case(
        "device_tuple_polar",
        polar,
        4,
        64,
        lambda r: [r.standard_normal(200), r.standard_normal(200), np.zeros(200), np.zeros(200)],
    ),
    Case(
        "nested_device",
        nested_device,
        4,
        64,
        lambda r: [_f32(r, 200), _f32(r, 200), np.zeros(200, np.float32)],
    ),
    Case("clamp_device", clamp_device, 4, 64, lambda r: [_f32(r, 200), np.zeros(200, np.float32)]),
    Case(
        "leaky_relu_guard",
        leaky_relu_guard,
        4,
        64,
        lambda r: [_f32(r, 200), np.zeros(200, np.float32)],
    ),
    Case(
        "first_above_break",
        first_above,
        2,
        32,
        lambda r: [_f32(r, 50, 20), 1.5, np.zeros(50, np.int32)],
    ),
    Case(
        "sum_positive_continue",
        sum_positive,
        2,
        32,
        lambda r: [_f32(r, 50, 20), np.zeros(50, np.float32)],
    ),
    Case(
        "collatz",
        collatz,
        2,
        64,
        lambda r: [r.integers(1, 10_000, 100, dtype=np.int64), np.zeros(100, np.int32)],
    ),
    Case("classify", classify, 4, 64, lambda r: [_f32(r, 200), np.zeros(200, np.int32)]),
    Case(
        "int_div_mod",
        int_div_mod,
        4,
        64,
        lambda r: [
            r.integers(-99, 99, 200, dtype=np.int32),
            r.integers(1, 9, 200, dtype=np.int32) * r.choice([-1, 1], 200).astype(np.int32),
            np.zeros(200, np.int32),
            np.zeros(200, np.int32),
        ],
    ),
    Case(
        "digit_counts",
        digit_counts,
        4,
        64,
        lambda r: [r.integers(0, 10**9, 200, dtype=np.int64), np.zeros(200, np.int32)],
    ),
    Case(
        "bit_tricks",
        bit_tricks,
        4,
        64,
        lambda r: [r.integers(1, 2**31, 200, dtype=np.uint32), np.zeros((200, 3), np.uint32)],
    ),
    Case("math_mix", math_mix, 4, 64, lambda r: [_f32(r, 200), np.zeros(200, np.float32)]),
    Case("math_erf", math_erf, 4, 64, lambda r: [_f32(r, 200), np.zeros(200, np.float32)]),
    Case(
        "casts",
        casts,
        4,
        64,
        lambda r: [_f32(r, 200), np.zeros(200, np.int32), np.zeros(200, np.float32)],
    ),
    Case(
        "numba_module_casts",
        numba_module_casts,
        4,
        64,
        lambda r: [_f32(r, 200) * 20, np.zeros(200, np.float32)],
    ),
    Case("bool_flag", bool_flag, 2, 32, lambda r: [_f32(r, 50, 10), np.zeros(50, np.int32)]),
    Case(
        "len_and_builtin_casts",
        len_and_builtin_casts,
        2,
        64,
        lambda r: [_f32(r, 100), np.zeros(100, np.int32), np.zeros(100, np.float32)],
    ),
    Case(
        "reverse_range", reverse_range, 2, 32, lambda r: [_f32(r, 50, 10), np.zeros(50, np.float32)]
    ),
    Case("fibonacci_swap", fibonacci_swap, 2, 64, lambda r: [np.zeros(100, np.int64)]),
    Case(
        "game_of_life",
        game_of_life,
        (3, 3),
        (8, 8),
        lambda r: [r.integers(0, 2, (20, 24), dtype=np.int32), np.zeros((20, 24), np.int32)],
    ),
    Case(
        "shared_keywords",
        shared_keywords,
        2,
        64,
        lambda r: [_f32(r, 128), np.zeros(128, np.float32)],
    ),
    Case("np_casts", np_casts, 2, 64, lambda r: [_f32(r, 100), np.zeros(100, np.float32)]),
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
        "return_in_loop", return_in_loop, 2, 32, lambda r: [_f32(r, 50, 10), np.zeros(50, np.int32)]
    ),
    Case("pi_min_max", pi_min_max, 2, 64, lambda r: [_f32(r, 100), np.zeros(100, np.float32)]),
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
        lambda r: [_f32(r, 50, 10), np.zeros(50, np.float32)],
    ),
    Case(
        "while_true_break",
        while_true_break,
        2,
        64,
        lambda r: [np.abs(_f32(r, 100)) * 100, np.zeros(100, np.int32)],
    ),
    Case(
        "device_tuple_divmod",
        device_tuple_divmod,
        2,
        64,
        lambda r: [r.integers(-50, 50, 100, dtype=np.int32), np.zeros(100, np.int32)],
    ),
    Case("first_thread_writes", first_thread_writes, 4, 64, lambda r: [np.zeros(4, np.int32)]),
]
