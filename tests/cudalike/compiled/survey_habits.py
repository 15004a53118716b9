"""Tutorial-style kernels for the tier survey: device functions, control flow, number types,
math functions and other habits of numba.cuda tutorials (see survey_grids.py)."""

import math

import numba
import numpy as np
from numba import float32, int32

from cudalike import cuda
from tests.cudalike.compiled.survey_grids import Case, f32


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


def np_casts(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = np.float32(a[i]) * np.float32(2) + np.int32(3)


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


CASES = [
    Case(
        "device_tuple_min_max",
        sort_pairs,
        4,
        64,
        lambda r: [
            f32(r, 200),
            f32(r, 200),
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
        lambda r: [f32(r, 200), f32(r, 200), np.zeros(200, np.float32)],
    ),
    Case("clamp_device", clamp_device, 4, 64, lambda r: [f32(r, 200), np.zeros(200, np.float32)]),
    Case(
        "leaky_relu_guard",
        leaky_relu_guard,
        4,
        64,
        lambda r: [f32(r, 200), np.zeros(200, np.float32)],
    ),
    Case(
        "first_above_break",
        first_above,
        2,
        32,
        lambda r: [f32(r, 50, 20), 1.5, np.zeros(50, np.int32)],
    ),
    Case(
        "sum_positive_continue",
        sum_positive,
        2,
        32,
        lambda r: [f32(r, 50, 20), np.zeros(50, np.float32)],
    ),
    Case(
        "collatz",
        collatz,
        2,
        64,
        lambda r: [r.integers(1, 10_000, 100, dtype=np.int64), np.zeros(100, np.int32)],
    ),
    Case("classify", classify, 4, 64, lambda r: [f32(r, 200), np.zeros(200, np.int32)]),
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
    Case("math_mix", math_mix, 4, 64, lambda r: [f32(r, 200), np.zeros(200, np.float32)]),
    Case("math_erf", math_erf, 4, 64, lambda r: [f32(r, 200), np.zeros(200, np.float32)]),
    Case(
        "casts",
        casts,
        4,
        64,
        lambda r: [f32(r, 200), np.zeros(200, np.int32), np.zeros(200, np.float32)],
    ),
    Case(
        "numba_module_casts",
        numba_module_casts,
        4,
        64,
        lambda r: [f32(r, 200) * 20, np.zeros(200, np.float32)],
    ),
    Case("bool_flag", bool_flag, 2, 32, lambda r: [f32(r, 50, 10), np.zeros(50, np.int32)]),
    Case(
        "len_and_builtin_casts",
        len_and_builtin_casts,
        2,
        64,
        lambda r: [f32(r, 100), np.zeros(100, np.int32), np.zeros(100, np.float32)],
    ),
    Case(
        "reverse_range", reverse_range, 2, 32, lambda r: [f32(r, 50, 10), np.zeros(50, np.float32)]
    ),
    Case("fibonacci_swap", fibonacci_swap, 2, 64, lambda r: [np.zeros(100, np.int64)]),
    Case("np_casts", np_casts, 2, 64, lambda r: [f32(r, 100), np.zeros(100, np.float32)]),
    Case(
        "return_in_loop", return_in_loop, 2, 32, lambda r: [f32(r, 50, 10), np.zeros(50, np.int32)]
    ),
    Case("pi_min_max", pi_min_max, 2, 64, lambda r: [f32(r, 100), np.zeros(100, np.float32)]),
    Case(
        "while_true_break",
        while_true_break,
        2,
        64,
        lambda r: [np.abs(f32(r, 100)) * 100, np.zeros(100, np.int32)],
    ),
    Case(
        "device_tuple_divmod",
        device_tuple_divmod,
        2,
        64,
        lambda r: [r.integers(-50, 50, 100, dtype=np.int32), np.zeros(100, np.int32)],
    ),
]
