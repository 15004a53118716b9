"""Kernels from the CUDA samples for the fourth tier survey (survey_apps.py), ported to
numba.cuda: vectorAdd with a grid-stride loop, dct8x8's butterflies in a local array,
fastWalshTransform's radix-2 steps in shared memory and a radix-4 step in global memory,
sobelFilter on uint8 with clamped neighbours and a device function, a bilateral filter with
math.exp and a constant Gaussian, scalarProd's block loop around a tree of barriers,
binomialOptions' backward induction in shared memory (as written, and with its step value
typed), a Niederreiter-style quasirandom generator, recursiveGaussian's column IIR passes and
a reduction finished after `cuda.cg.this_grid().sync()`."""

import math

import numpy as np
from numba import float32, float64, uint8

from cudalike import cuda
from tests.cudalike.compiled.survey_grids import Case, f32

FWT_LOG = 7  # fwt_shared transforms blocks of 2^7 elements
FWT_N = 1 << FWT_LOG
ACCUM_N = 256
BIN_N = 64
QRNG_DIMS = 3
QRNG_BITS = 31
INT_SCALE = 1.0 / (1 << 31)
RADIUS = 2
GAUSS = np.exp(-(np.arange(-RADIUS, RADIUS + 1) ** 2) / (2.0 * 1.5**2)).astype(np.float32)
C_NORM = 0.3535533905932737  # 1 / sqrt(8)
C_A, C_B, C_C = 1.387039845322148, 1.306562964876377, 1.175875602419359
C_D, C_E, C_F = 0.785694958387102, 0.541196100146197, 0.275899379282943


def vector_add(a, b, c, num_elements):
    start = cuda.blockDim.x * cuda.blockIdx.x + cuda.threadIdx.x
    for i in range(start, num_elements, cuda.blockDim.x * cuda.gridDim.x):
        c[i] = a[i] + b[i] + 0.0


def dct8_rows(src, dst):
    row = cuda.grid(1)
    if row >= src.shape[0]:
        return
    v = cuda.local.array(8, float32)
    for k in range(8):
        v[k] = src[row, k]
    x07p = v[0] + v[7]
    x16p = v[1] + v[6]
    x25p = v[2] + v[5]
    x34p = v[3] + v[4]
    x07m = v[0] - v[7]
    x61m = v[6] - v[1]
    x25m = v[2] - v[5]
    x43m = v[4] - v[3]
    x07p34pp = x07p + x34p
    x07p34pm = x07p - x34p
    x16p25pp = x16p + x25p
    x16p25pm = x16p - x25p
    v[0] = C_NORM * (x07p34pp + x16p25pp)
    v[2] = C_NORM * (C_B * x07p34pm + C_E * x16p25pm)
    v[4] = C_NORM * (x07p34pp - x16p25pp)
    v[6] = C_NORM * (C_E * x07p34pm - C_B * x16p25pm)
    v[1] = C_NORM * (C_A * x07m - C_C * x61m + C_D * x25m - C_F * x43m)
    v[3] = C_NORM * (C_C * x07m + C_F * x61m - C_A * x25m + C_D * x43m)
    v[5] = C_NORM * (C_D * x07m + C_A * x61m + C_F * x25m - C_C * x43m)
    v[7] = C_NORM * (C_F * x07m + C_D * x61m + C_C * x25m + C_A * x43m)
    for k in range(8):
        dst[row, k] = v[k]


def fwt_shared(data):
    s_data = cuda.shared.array(FWT_N, float32)
    n = FWT_N
    base = cuda.blockIdx.x << FWT_LOG
    for pos in range(cuda.threadIdx.x, n, cuda.blockDim.x):
        s_data[pos] = data[base + pos]
    stride = n >> 1
    while stride > 0:
        cuda.syncthreads()
        for pos in range(cuda.threadIdx.x, n // 2, cuda.blockDim.x):
            lo = pos & (stride - 1)
            i0 = ((pos - lo) << 1) + lo
            i1 = i0 + stride
            t0 = s_data[i0]
            t1 = s_data[i1]
            s_data[i0] = t0 + t1
            s_data[i1] = t0 - t1
        stride >>= 1
    cuda.syncthreads()
    for pos in range(cuda.threadIdx.x, n, cuda.blockDim.x):
        data[base + pos] = s_data[pos]


def fwt_global_step(data, stride):
    pos = cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x
    batch = cuda.blockIdx.y
    lo = pos & (stride - 1)
    i0 = ((pos - lo) << 2) + lo
    i1 = i0 + stride
    i2 = i1 + stride
    i3 = i2 + stride
    d0 = data[batch, i0]
    d1 = data[batch, i1]
    d2 = data[batch, i2]
    d3 = data[batch, i3]
    t = d0
    d0 = d0 + d2
    d2 = t - d2
    t = d1
    d1 = d1 + d3
    d3 = t - d3
    data[batch, i0] = d0 + d1
    data[batch, i1] = d0 - d1
    data[batch, i2] = d2 + d3
    data[batch, i3] = d2 - d3


@cuda.jit(device=True)
def compute_sobel(ul, um, ur, ml, mm, mr, ll, lm, lr, scale):
    horz = ur + 2 * mr + lr - ul - 2 * ml - ll
    vert = ul + 2 * um + ur - ll - 2 * lm - lr
    total = int(scale * (abs(horz) + abs(vert)))
    if total < 0:
        total = 0
    elif total > 255:
        total = 255
    return uint8(total)


def sobel_uint8(img, out, scale):
    x, y = cuda.grid(2)
    h, w = img.shape
    if y >= h or x >= w:
        return
    xm = max(x - 1, 0)
    xp = min(x + 1, w - 1)
    ym = max(y - 1, 0)
    yp = min(y + 1, h - 1)
    out[y, x] = compute_sobel(img[ym, xm], img[ym, x], img[ym, xp], img[y, xm], img[y, x],
                              img[y, xp], img[yp, xm], img[yp, x], img[yp, xp], scale)  # fmt: skip


def bilateral(img, out, sigma_r):
    gauss = cuda.const.array_like(GAUSS)
    row, col = cuda.grid(2)
    h, w = img.shape
    if row >= h or col >= w:
        return
    centre = img[row, col]
    total = 0.0
    weight_sum = 0.0
    for dy in range(-RADIUS, RADIUS + 1):
        for dx in range(-RADIUS, RADIUS + 1):
            v = img[min(max(row + dy, 0), h - 1), min(max(col + dx, 0), w - 1)]
            diff = v - centre
            weight = gauss[dy + RADIUS] * gauss[dx + RADIUS]
            weight *= math.exp(-(diff * diff) / (2.0 * sigma_r * sigma_r))
            total += weight * v
            weight_sum += weight
    out[row, col] = total / weight_sum


def scalar_prod(d_c, d_a, d_b, vector_n, element_n):
    accum = cuda.shared.array(ACCUM_N, float32)
    for vec in range(cuda.blockIdx.x, vector_n, cuda.gridDim.x):
        vector_base = element_n * vec
        vector_end = vector_base + element_n
        for i_accum in range(cuda.threadIdx.x, ACCUM_N, cuda.blockDim.x):
            s = float32(0.0)
            for pos in range(vector_base + i_accum, vector_end, ACCUM_N):
                s += d_a[pos] * d_b[pos]
            accum[i_accum] = s
        stride = ACCUM_N // 2
        while stride > 0:
            cuda.syncthreads()
            for i_accum in range(cuda.threadIdx.x, stride, cuda.blockDim.x):
                accum[i_accum] += accum[stride + i_accum]
            stride >>= 1
        cuda.syncthreads()
        if cuda.threadIdx.x == 0:
            d_c[vec] = accum[0]


def binomial_options(s, x, vdt, pu_df, pd_df, out):
    call = cuda.shared.array(BIN_N + 1, float64)
    tid = cuda.threadIdx.x
    opt = cuda.blockIdx.x
    for i in range(tid, BIN_N + 1, cuda.blockDim.x):
        price = s[opt] * math.exp(vdt[opt] * (2.0 * i - BIN_N))
        call[i] = max(price - x[opt], 0.0)
    for step in range(BIN_N, 0, -1):
        cuda.syncthreads()
        v = 0.0
        if tid < step:
            v = pu_df[opt] * call[tid + 1] + pd_df[opt] * call[tid]
        cuda.syncthreads()
        if tid < step:
            call[tid] = v
    cuda.syncthreads()
    if tid == 0:
        out[opt] = call[0]


def binomial_options_typed(s, x, vdt, pu_df, pd_df, out):
    """binomial_options with `v = float64(0.0)`, typed as the values it takes later."""
    call = cuda.shared.array(BIN_N + 1, float64)
    tid = cuda.threadIdx.x
    opt = cuda.blockIdx.x
    for i in range(tid, BIN_N + 1, cuda.blockDim.x):
        call[i] = max(s[opt] * math.exp(vdt[opt] * (2.0 * i - BIN_N)) - x[opt], 0.0)
    for step in range(BIN_N, 0, -1):
        cuda.syncthreads()
        v = float64(0.0)
        if tid < step:
            v = pu_df[opt] * call[tid + 1] + pd_df[opt] * call[tid]
        cuda.syncthreads()
        if tid < step:
            call[tid] = v
    cuda.syncthreads()
    if tid == 0:
        out[opt] = call[0]


def quasirandom(table, out, seed):
    pos = cuda.grid(1)
    if pos >= out.shape[1]:
        return
    for d in range(QRNG_DIMS):
        result = 0
        data = pos + seed
        bit = 0
        while data != 0:
            if data & 1:
                result ^= table[d, bit]
            data >>= 1
            bit += 1
        out[d, pos] = float32(result) * INT_SCALE


def recursive_gaussian(src, dst, a0, a1, a2, a3, b1, b2, coefp, coefn):
    x = cuda.grid(1)
    h, w = src.shape
    if x >= w:
        return
    xp = src[0, x]
    yb = coefp * xp
    yp = yb
    for y in range(h):
        xc = src[y, x]
        yc = a0 * xc + a1 * xp - b1 * yp - b2 * yb
        dst[y, x] = yc
        xp = xc
        yb = yp
        yp = yc
    xn = src[h - 1, x]
    xa = xn
    yn = coefn * xn
    ya = yn
    for y in range(h - 1, -1, -1):
        xc = src[y, x]
        yc = a2 * xn + a3 * xa - b1 * yn - b2 * ya
        xa = xn
        xn = xc
        ya = yn
        yn = yc
        dst[y, x] = dst[y, x] + yc


def grid_sync_sum(a, partial, out):
    grid = cuda.cg.this_grid()
    cache = cuda.shared.array(64, float32)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    cache[tid] = a[i] if i < a.size else float32(0.0)
    cuda.syncthreads()
    s = cuda.blockDim.x // 2
    while s > 0:
        if tid < s:
            cache[tid] += cache[tid + s]
        cuda.syncthreads()
        s //= 2
    if tid == 0:
        partial[cuda.blockIdx.x] = cache[0]
    grid.sync()
    if i == 0:
        total = float32(0.0)
        for b in range(cuda.gridDim.x):
            total += partial[b]
        out[0] = total


def _binomial(rng, n: int = 6):
    s = 5.0 + 25.0 * rng.random(n)
    x = 1.0 + 99.0 * rng.random(n)
    t = 0.25 + 9.75 * rng.random(n)
    dt = t / BIN_N
    vdt = 0.3 * np.sqrt(dt)
    r_dt = 0.06 * dt
    if_, df = np.exp(r_dt), np.exp(-r_dt)
    u, d = np.exp(vdt), np.exp(-vdt)
    pu = (if_ - d) / (u - d)
    return [s, x, vdt, pu * df, (1.0 - pu) * df, np.zeros(n)]


def _gaussian_coefficients(sigma: float = 3.0):
    alpha = 1.695 / sigma
    ema = math.exp(-alpha)
    ema2 = math.exp(-2 * alpha)
    b1, b2 = -2 * ema, ema2
    k = (1 - ema) * (1 - ema) / (1 + 2 * alpha * ema - ema2)
    a0, a1 = k, k * (alpha - 1) * ema
    a2, a3 = k * (alpha + 1) * ema, -k * ema2
    coefp, coefn = (a0 + a1) / (1 + b1 + b2), (a2 + a3) / (1 + b1 + b2)
    return [a0, a1, a2, a3, b1, b2, coefp, coefn]


CASES = [
    Case(
        "vector_add",
        vector_add,
        3,
        64,
        lambda r: [f32(r, 500), f32(r, 500), np.zeros(500, np.float32), 500],
    ),
    Case("dct8_rows", dct8_rows, 2, 64, lambda r: [f32(r, 100, 8), np.zeros((100, 8), np.float32)]),
    Case("fwt_shared", fwt_shared, 3, 32, lambda r: [f32(r, 3 << FWT_LOG)]),
    Case("fwt_global_step", fwt_global_step, (2, 3), 16, lambda r: [f32(r, 3, 128), 8]),
    Case(
        "sobel_uint8",
        sobel_uint8,
        (3, 2),
        (16, 16),
        lambda r: [
            r.integers(0, 256, (30, 40), dtype=np.uint8),
            np.zeros((30, 40), np.uint8),
            np.float32(0.5),
        ],
    ),
    Case(
        "bilateral",
        bilateral,
        (2, 3),
        (16, 16),
        lambda r: [r.random((30, 40)).astype(np.float32), np.zeros((30, 40), np.float32), 0.2],
    ),
    Case(
        "scalar_prod",
        scalar_prod,
        3,
        64,
        lambda r: [np.zeros(5, np.float32), f32(r, 5 * 700), f32(r, 5 * 700), 5, 700],
    ),
    Case("binomial_options", binomial_options, 6, BIN_N, _binomial),
    Case("binomial_options_typed", binomial_options_typed, 6, BIN_N, _binomial),
    Case(
        "quasirandom",
        quasirandom,
        3,
        64,
        lambda r: [
            r.integers(0, 1 << 31, (QRNG_DIMS, QRNG_BITS), dtype=np.int32),
            np.zeros((QRNG_DIMS, 180), np.float32),
            11,
        ],
    ),
    Case(
        "recursive_gaussian",
        recursive_gaussian,
        2,
        32,
        lambda r: [f32(r, 24, 50), np.zeros((24, 50), np.float32), *_gaussian_coefficients()],
    ),
    Case(
        "grid_sync_sum",
        grid_sync_sum,
        4,
        64,
        lambda r: [f32(r, 250), np.zeros(4, np.float32), np.zeros(1, np.float32)],
    ),
]
