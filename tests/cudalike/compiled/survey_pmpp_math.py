"""Numeric, image and machine-learning kernels for the third tier survey, as textbooks, the CUDA
samples and numba's examples write them: Welford layer norm (and Welford's mean and variance
with a Python-int count), one attention row, RGB to HSV, a 3x3 median filter with a sorting
network, a sieve step, rsqrt normalisation, an int32 matmul, DAXPY, a 7-point stencil with
constant weights, Black-Scholes (erf, and the samples' polynomial), Monte-Carlo pi with
xorshift, and k-means assignment (a float32 distance, and one reset to a Python float for each
centroid) (see survey_pmpp.py)."""

import math

import numpy as np
from numba import float32, uint32

from cudalike import cuda
from tests.cudalike.compiled.survey_grids import Case, f32

ATT_LEN = 16
C0, C1, C2, C3 = -49.0 / 18.0, 1.5, -0.15, 1.0 / 90.0  # 6th-order second derivative
# Paeth's 19 compare-exchanges that leave the median of nine at index 4.
MEDIAN9 = np.array(
    [
        [1, 2], [4, 5], [7, 8], [0, 1], [3, 4], [6, 7], [1, 2], [4, 5], [7, 8], [0, 3],
        [5, 8], [4, 7], [3, 6], [1, 4], [2, 5], [4, 7], [4, 2], [6, 4], [4, 2],
    ],
    np.int32,
)  # fmt: skip
A1, A2, A3, A4, A5 = 0.31938153, -0.356563782, 1.781477937, -1.821255978, 1.330274429
RSQRT2PI = 0.39894228040143267793994605993438


def welford_layer_norm(x, gamma, beta, out, eps):
    row = cuda.grid(1)
    if row < x.shape[0]:
        mean = float32(0.0)
        m2 = float32(0.0)
        count = float32(0.0)
        for j in range(x.shape[1]):
            count += float32(1.0)
            v = x[row, j]
            delta = v - mean
            mean += delta / count
            m2 += delta * (v - mean)
        inv_std = float32(1.0) / math.sqrt(m2 / count + eps)
        for j in range(x.shape[1]):
            out[row, j] = (x[row, j] - mean) * inv_std * gamma[j] + beta[j]


def welford_int_count(x, out):
    row = cuda.grid(1)
    if row < x.shape[0]:
        mean = 0.0
        m2 = 0.0
        count = 0
        for j in range(x.shape[1]):
            count += 1
            v = x[row, j]
            delta = v - mean
            mean += delta / count
            m2 += delta * (v - mean)
        out[row, 0] = mean
        out[row, 1] = m2 / count


def attention_row(q, k, v, out, scale):
    r = cuda.grid(1)
    length, dim = q.shape
    if r < length:
        scores = cuda.local.array(ATT_LEN, float32)
        m = float32(-math.inf)
        for j in range(length):
            s = float32(0.0)
            for d in range(dim):
                s += q[r, d] * k[j, d]
            s *= scale
            scores[j] = s
            m = max(m, s)
        denom = float32(0.0)
        for j in range(length):
            e = math.exp(scores[j] - m)
            scores[j] = e
            denom += e
        for d in range(dim):
            acc = float32(0.0)
            for j in range(length):
                acc += scores[j] * v[j, d]
            out[r, d] = acc / denom


def rgb_to_hsv(rgb, hsv):
    y, x = cuda.grid(2)
    if y < rgb.shape[0] and x < rgb.shape[1]:
        r = rgb[y, x, 0]
        g = rgb[y, x, 1]
        b = rgb[y, x, 2]
        mx = max(r, max(g, b))
        mn = min(r, min(g, b))
        d = mx - mn
        if d == 0:
            h = float32(0.0)
        elif mx == r:
            h = 60 * (((g - b) / d) % 6)
        elif mx == g:
            h = 60 * ((b - r) / d + 2)
        else:
            h = 60 * ((r - g) / d + 4)
        if mx == 0:
            s = float32(0.0)
        else:
            s = d / mx
        hsv[y, x, 0] = h
        hsv[y, x, 1] = s
        hsv[y, x, 2] = mx


def median_filter_3x3(img, out):
    net = cuda.const.array_like(MEDIAN9)
    win = cuda.local.array(9, float32)
    y, x = cuda.grid(2)
    h, w = img.shape
    if 1 <= y < h - 1 and 1 <= x < w - 1:
        for i in range(3):
            for j in range(3):
                win[i * 3 + j] = img[y + i - 1, x + j - 1]
        for p in range(19):
            lo = net[p, 0]
            hi = net[p, 1]
            if win[lo] > win[hi]:
                win[lo], win[hi] = win[hi], win[lo]
        out[y, x] = win[4]


def sieve_step(is_prime, p):
    i = cuda.grid(1)
    m = p * p + i * p
    if m < is_prime.size:
        is_prime[m] = 0


def rsqrt_normalise(v, out):
    i = cuda.grid(1)
    if i < v.shape[0]:
        x = v[i, 0]
        y = v[i, 1]
        z = v[i, 2]
        inv = 1.0 / math.sqrt(x * x + y * y + z * z)
        out[i, 0] = x * inv
        out[i, 1] = y * inv
        out[i, 2] = z * inv


def rsqrt_power(v, out):
    i = cuda.grid(1)
    if i < v.shape[0]:
        inv = (v[i, 0] ** 2 + v[i, 1] ** 2 + v[i, 2] ** 2) ** -0.5
        for c in range(3):
            out[i, c] = v[i, c] * inv


def matmul_int32(A, B, C):
    row, col = cuda.grid(2)
    if row < C.shape[0] and col < C.shape[1]:
        acc = 0
        for k in range(A.shape[1]):
            acc += A[row, k] * B[k, col]
        C[row, col] = acc


def daxpy(a, x, y):
    for i in range(cuda.grid(1), x.size, cuda.gridsize(1)):
        y[i] = a * x[i] + y[i]


def stencil_7pt(u, out):
    i = cuda.grid(1)
    if 3 <= i < u.size - 3:
        out[i] = (
            C0 * u[i]
            + C1 * (u[i - 1] + u[i + 1])
            + C2 * (u[i - 2] + u[i + 2])
            + C3 * (u[i - 3] + u[i + 3])
        )


def black_scholes_erf(S, K, T, call, put, r, v):
    i = cuda.grid(1)
    if i < S.size:
        sqrt_t = math.sqrt(T[i])
        d1 = (math.log(S[i] / K[i]) + (r + 0.5 * v * v) * T[i]) / (v * sqrt_t)
        d2 = d1 - v * sqrt_t
        cnd1 = 0.5 * (1.0 + math.erf(d1 / math.sqrt(2.0)))
        cnd2 = 0.5 * (1.0 + math.erf(d2 / math.sqrt(2.0)))
        exp_rt = math.exp(-r * T[i])
        call[i] = S[i] * cnd1 - K[i] * exp_rt * cnd2
        put[i] = K[i] * exp_rt * (1.0 - cnd2) - S[i] * (1.0 - cnd1)


@cuda.jit(device=True)
def cnd(d):
    k = 1.0 / (1.0 + 0.2316419 * abs(d))
    ret_val = (
        RSQRT2PI * math.exp(-0.5 * d * d) * (k * (A1 + k * (A2 + k * (A3 + k * (A4 + k * A5)))))
    )
    if d > 0:
        ret_val = 1.0 - ret_val
    return ret_val


def black_scholes_cnd(call, put, stock, strike, years, riskfree, volatility):
    i = cuda.grid(1)
    if i < stock.size:
        t = years[i]
        sqrt_t = math.sqrt(t)
        d1 = (math.log(stock[i] / strike[i]) + (riskfree + 0.5 * volatility * volatility) * t) / (
            volatility * sqrt_t
        )
        d2 = d1 - volatility * sqrt_t
        exp_rt = math.exp(-riskfree * t)
        call[i] = stock[i] * cnd(d1) - strike[i] * exp_rt * cnd(d2)
        put[i] = strike[i] * exp_rt * (1.0 - cnd(d2)) - stock[i] * (1.0 - cnd(d1))


def monte_carlo_pi(hits, seeds, n_per_thread):
    i = cuda.grid(1)
    state = seeds[i]
    count = 0
    for _ in range(n_per_thread):
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        x = float32(state) / float32(4294967296.0)
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        y = float32(state) / float32(4294967296.0)
        if x * x + y * y <= 1.0:
            count += 1
    cuda.atomic.add(hits, 0, count)


def monte_carlo_pi_typed(hits, seeds, n_per_thread):
    i = cuda.grid(1)
    state = seeds[i]
    count = uint32(0)
    for _ in range(n_per_thread):
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        x = float32(state) / float32(4294967296.0)
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        y = float32(state) / float32(4294967296.0)
        if x * x + y * y <= 1.0:
            count += 1
    hits[i] = count


def kmeans_assign(points, centroids, labels):
    i = cuda.grid(1)
    if i < points.shape[0]:
        best = 0
        best_d = math.inf
        for c in range(centroids.shape[0]):
            d = float32(0.0)
            for k in range(points.shape[1]):
                diff = points[i, k] - centroids[c, k]
                d += diff * diff
            if d < best_d:
                best_d = d
                best = c
        labels[i] = best


def kmeans_python_zero(points, centroids, labels):
    i = cuda.grid(1)
    if i < points.shape[0]:
        best = 0
        best_d = math.inf
        for c in range(centroids.shape[0]):
            d = 0.0
            for k in range(points.shape[1]):
                diff = points[i, k] - centroids[c, k]
                d += diff * diff
            if d < best_d:
                best_d = d
                best = c
        labels[i] = best


def _options(rng, n: int = 300, dtype=np.float64):
    stock = rng.uniform(5.0, 30.0, n).astype(dtype)
    strike = rng.uniform(1.0, 100.0, n).astype(dtype)
    years = rng.uniform(0.25, 10.0, n).astype(dtype)
    return stock, strike, years


def _black_scholes_erf(rng):
    stock, strike, years = _options(rng)
    return [stock, strike, years, np.zeros(300), np.zeros(300), 0.02, 0.30]


def _black_scholes_cnd(rng):
    stock, strike, years = _options(rng, dtype=np.float32)
    zeros = np.zeros(300, np.float32)
    return [zeros, zeros.copy(), stock, strike, years, np.float32(0.02), np.float32(0.30)]


def _seeds(rng, n: int) -> np.ndarray:
    return rng.integers(1, 1 << 32, n, dtype=np.uint32)


CASES = [
    Case(
        "welford_layer_norm",
        welford_layer_norm,
        2,
        32,
        lambda r: [f32(r, 50, 40), f32(r, 40), f32(r, 40), np.zeros((50, 40), np.float32), 1e-5],
    ),
    Case(
        "welford_int_count",
        welford_int_count,
        2,
        32,
        lambda r: [f32(r, 50, 40), np.zeros((50, 2), np.float32)],
    ),
    Case(
        "attention_row",
        attention_row,
        1,
        32,
        lambda r: [
            f32(r, ATT_LEN, 8),
            f32(r, ATT_LEN, 8),
            f32(r, ATT_LEN, 8),
            np.zeros((ATT_LEN, 8), np.float32),
            np.float32(1 / math.sqrt(8)),
        ],
    ),
    Case(
        "rgb_to_hsv",
        rgb_to_hsv,
        (3, 3),
        (16, 16),
        lambda r: [
            np.round(r.random((40, 35, 3)) * 4).astype(np.float32) / np.float32(4),
            np.zeros((40, 35, 3), np.float32),
        ],
    ),
    Case(
        "median_filter_3x3",
        median_filter_3x3,
        (3, 3),
        (16, 16),
        lambda r: [f32(r, 40, 45), np.zeros((40, 45), np.float32)],
    ),
    Case("sieve_step", sieve_step, 2, 64, lambda r: [np.ones(1000, np.uint8), 7]),
    Case(
        "rsqrt_normalise",
        rsqrt_normalise,
        2,
        64,
        lambda r: [f32(r, 100, 3), np.zeros((100, 3), np.float32)],
    ),
    Case(
        "rsqrt_power",
        rsqrt_power,
        2,
        64,
        lambda r: [f32(r, 100, 3), np.zeros((100, 3), np.float32)],
    ),
    Case(
        "matmul_int32",
        matmul_int32,
        (2, 2),
        (16, 16),
        lambda r: [
            r.integers(-(1 << 20), 1 << 20, (20, 30), dtype=np.int32),
            r.integers(-(1 << 20), 1 << 20, (30, 25), dtype=np.int32),
            np.zeros((20, 25), np.int32),
        ],
    ),
    Case("daxpy", daxpy, 3, 64, lambda r: [2.5, r.standard_normal(1000), r.standard_normal(1000)]),
    Case("stencil_7pt", stencil_7pt, 4, 64, lambda r: [f32(r, 250), np.zeros(250, np.float32)]),
    Case("black_scholes_erf", black_scholes_erf, 5, 64, _black_scholes_erf),
    Case("black_scholes_cnd", black_scholes_cnd, 5, 64, _black_scholes_cnd),
    Case(
        "monte_carlo_pi",
        monte_carlo_pi,
        2,
        64,
        lambda r: [np.zeros(1, np.int64), _seeds(r, 128), 50],
    ),
    Case(
        "monte_carlo_pi_typed",
        monte_carlo_pi_typed,
        2,
        64,
        lambda r: [np.zeros(128, np.uint32), _seeds(r, 128), 50],
    ),
    Case(
        "kmeans_assign",
        kmeans_assign,
        3,
        64,
        lambda r: [f32(r, 180, 4), f32(r, 6, 4), np.zeros(180, np.int32)],
    ),
    Case(
        "kmeans_python_zero",
        kmeans_python_zero,
        3,
        64,
        lambda r: [f32(r, 180, 4), f32(r, 6, 4), np.zeros(180, np.int32)],
    ),
]
