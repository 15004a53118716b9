"""The device-side API of numba.cuda that cudalike supports, one small kernel per function or
group of functions, with operands reaching each function's edges (negatives, zero, -0.0, NaN,
infinities, the extremes of narrow integers): here the math functions and numpy ufuncs;
survey_api_numbers.py has Python's built-ins, casts and operators, survey_api_cuda.py the
cuda intrinsics. test_survey_api.py runs every case under both tiers (see survey_grids.py for
the `Case` type)."""

import math

import numpy as np
from numba import float32

from cudalike import cuda
from tests.cudalike.compiled.survey_grids import Case

N = 256
_SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, 1e-30, -1e-30, 1e30, -1e30]
_SPECIAL += [np.inf, -np.inf, np.nan, 88.7, -103.0, 3.5, -2.5, 1e-45]


def floats(rng, dtype=np.float32, n: int = N, scale: float = 10.0) -> np.ndarray:
    """`n` floats of `dtype`: the special values first, then uniform draws in [-scale, scale]."""
    drawn = rng.uniform(-scale, scale, n - len(_SPECIAL))
    return np.concatenate([_SPECIAL, drawn]).astype(dtype)


def integers(rng, dtype, n: int = N) -> np.ndarray:
    """`n` integers of `dtype`: its extremes, small values and zero first, then random ones."""
    info = np.iinfo(dtype)
    edges = [0, 1, -1, 2, -2, 3, -7, 7, info.max, info.min, info.max - 1, info.min + 1]
    edges = [v for v in edges if info.min <= v <= info.max]
    drawn = rng.integers(info.min, info.max, n - len(edges), dtype=dtype, endpoint=True)
    return np.concatenate([np.array(edges, dtype), drawn])


def math_exact(x, out, flags):
    i = cuda.grid(1)
    if i < x.size:
        v = x[i]
        out[i, 0] = math.sqrt(v)
        out[i, 1] = math.fabs(v)
        out[i, 2] = math.copysign(v, x[(i + 5) % x.size])
        out[i, 3] = math.fmod(v, x[(i + 3) % x.size])
        out[i, 4] = abs(v)
        out[i, 5] = min(v, x[(i + 2) % x.size])
        out[i, 6] = max(v, 0.5)
        out[i, 7] = v if v == v else float32(-3.0)
        flags[i, 0] = math.isnan(v)
        flags[i, 1] = math.isinf(v)
        flags[i, 2] = math.isfinite(v)


def math_rounding(x, out):
    i = cuda.grid(1)
    if i < x.size:
        v = x[i]
        if math.isfinite(v) and abs(v) < 1e9:
            out[i, 0] = math.floor(v)
            out[i, 1] = math.ceil(v)
            out[i, 2] = math.trunc(v)
            out[i, 3] = int(v)


def math_unary(x, out):
    i = cuda.grid(1)
    if i < x.size:
        v = x[i]
        out[i, 0] = math.exp(v)
        out[i, 1] = math.log(v)
        out[i, 2] = math.log2(v)
        out[i, 3] = math.log10(v)
        out[i, 4] = math.log1p(v)
        out[i, 5] = math.expm1(v)
        out[i, 6] = math.sin(v)
        out[i, 7] = math.cos(v)
        out[i, 8] = math.tan(v)
        out[i, 9] = math.asin(v)
        out[i, 10] = math.acos(v)
        out[i, 11] = math.atan(v)
        out[i, 12] = math.sinh(v)
        out[i, 13] = math.cosh(v)
        out[i, 14] = math.tanh(v)
        out[i, 15] = math.asinh(v)
        out[i, 16] = math.acosh(v)
        out[i, 17] = math.atanh(v)
        out[i, 18] = math.radians(v)
        out[i, 19] = math.degrees(v)
        out[i, 20] = math.exp2(v)
        out[i, 21] = math.cbrt(v)
        out[i, 22] = math.log(v, 3.0)


def math_binary(x, y, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i, 0] = math.atan2(x[i], y[i])
        out[i, 1] = math.hypot(x[i], y[i])
        out[i, 2] = math.pow(x[i], y[i])
        out[i, 3] = math.pow(x[i], 3.0)
        out[i, 4] = x[i] ** 2
        out[i, 5] = x[i] ** 3
        out[i, 6] = math.pow(2.0, y[i])
        out[i, 7] = math.nextafter(x[i], y[i])


def math_erf(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i, 0] = math.erf(x[i])
        out[i, 1] = math.erfc(x[i])


def math_gamma(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i, 0] = math.gamma(x[i])
        out[i, 1] = math.lgamma(x[i])


def math_ldexp(x, e, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = math.ldexp(x[i], e[i])


def math_of_integers(n, out, floors):
    i = cuda.grid(1)
    if i < n.size:
        m = n[i]
        out[i, 0] = math.sqrt(m)
        out[i, 1] = math.exp(m % 50)
        out[i, 2] = math.atan2(m, 2)
        out[i, 3] = math.hypot(m, 1.5)
        out[i, 4] = math.log(m)
        out[i, 5] = math.exp(1.5) * m
        out[i, 6] = math.ldexp(m, 3)
        out[i, 7] = cuda.cbrt(m)
        floors[i, 0] = math.floor(m / 3)
        floors[i, 1] = math.ceil(m / -7)


def numpy_ufuncs(x, y, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i, 0] = np.sqrt(x[i])
        out[i, 1] = np.maximum(x[i], y[i])
        out[i, 2] = np.fmin(x[i], y[i])
        out[i, 3] = np.rint(x[i])
        out[i, 4] = np.sign(x[i])
        out[i, 5] = np.exp(x[i])
        out[i, 6] = np.square(x[i])
        out[i, 7] = np.arctan2(x[i], y[i])


def numpy_ufuncs_of_integers(a, b, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i, 0] = np.add(a[i], b[i])
        out[i, 1] = np.maximum(a[i], b[i])
        out[i, 2] = np.floor(a[i])


def math_frexp(x, m, e):
    i = cuda.grid(1)
    if i < x.size:
        mantissa, exponent = math.frexp(x[i])
        m[i] = mantissa
        e[i] = exponent


def math_remainder(x, y, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = math.remainder(x[i], y[i])


def _f32_out(columns):
    return lambda r: [floats(r), np.zeros((N, columns), np.float32)]


CASES = [
    Case(
        "math_exact",
        math_exact,
        2,
        128,
        lambda r: [floats(r), np.zeros((N, 8), np.float32), np.zeros((N, 3), np.bool_)],
    ),
    Case(
        "math_rounding",
        math_rounding,
        2,
        128,
        lambda r: [floats(r, scale=1e4), np.zeros((N, 4), np.int64)],
    ),
    Case(
        "math_unary_f32", math_unary, 2, 128, lambda r: [floats(r), np.zeros((N, 23), np.float32)]
    ),
    Case(
        "math_unary_f64",
        math_unary,
        2,
        128,
        lambda r: [floats(r, np.float64), np.zeros((N, 23), np.float64)],
    ),
    Case(
        "math_binary",
        math_binary,
        2,
        128,
        lambda r: [floats(r), floats(r)[::-1].copy(), np.zeros((N, 8), np.float32)],
    ),
    Case("math_erf", math_erf, 2, 128, _f32_out(2)),
    Case(
        "math_gamma",
        math_gamma,
        2,
        128,
        lambda r: [
            np.abs(np.nan_to_num(floats(r), nan=np.nan, posinf=3.0, neginf=4.0)) % 19 + 0.25,
            np.zeros((N, 2), np.float32),
        ],
    ),
    Case(
        "math_ldexp",
        math_ldexp,
        2,
        128,
        lambda r: [floats(r), r.integers(-160, 160, N).astype(np.int32), np.zeros(N, np.float32)],
    ),
    Case(
        "math_ldexp_f64",
        math_ldexp,
        2,
        128,
        lambda r: [
            floats(r, np.float64, scale=1e300),
            np.concatenate(
                [
                    [2**40, -(2**40), 2**31, -(2**31) - 5, 5000, -5000, 1100, -1100],
                    r.integers(-1200, 1200, N - 8),
                ]
            ),
            np.zeros(N),
        ],
    ),
    Case(
        "math_of_integers",
        math_of_integers,
        2,
        128,
        lambda r: [integers(r, np.int32), np.zeros((N, 8)), np.zeros((N, 2), np.int64)],
    ),
    Case(
        "numpy_ufuncs",
        numpy_ufuncs,
        2,
        128,
        lambda r: [floats(r), -floats(r), np.zeros((N, 8), np.float32)],
    ),
    Case(
        "numpy_ufuncs_of_integers",
        numpy_ufuncs_of_integers,
        2,
        128,
        lambda r: [
            integers(r, np.int64) // 512 + 2**53 + 1,
            np.full(N, 2, np.int64),
            np.zeros((N, 3), np.int64),
        ],
    ),
    Case(
        "math_frexp",
        math_frexp,
        2,
        128,
        lambda r: [floats(r), np.zeros(N, np.float32), np.zeros(N, np.int32)],
    ),
    Case(
        "math_remainder",
        math_remainder,
        2,
        128,
        lambda r: [r.uniform(-50, 50, N), r.uniform(0.5, 9, N) * r.choice([-1, 1], N), np.zeros(N)],
    ),
]
