"""The device-side API of numba.cuda that cudalike supports, one small kernel per function or
group of functions, with operands reaching each function's edges (negatives, zero, -0.0, NaN,
infinities, the extremes of narrow integers). test_survey_api.py runs every case under both
tiers (see survey_grids.py for the `Case` type)."""

import math

import numpy as np
from numba import float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64

from cudalike import cuda
from tests.cudalike.compiled.survey_grids import Case

N = 256
WEIGHTS = np.array([0.25, -1.5, 3.0, np.inf, -0.0, 7.5, 1e-30, 2.0], np.float32)

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


def cuda_float_intrinsics(a, b, c, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i, 0] = cuda.fma(a[i], b[i], c[i])
        out[i, 1] = cuda.selp(a[i] > b[i], a[i], b[i])
        out[i, 2] = cuda.fma(a[i], float32(2.0), float32(-1.0))


def cuda_cbrt(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = cuda.cbrt(a[i])


def bit_intrinsics(a, b, counts, reversed_bits, reversed_wide):
    i = cuda.grid(1)
    if i < a.size:
        counts[i, 0] = cuda.popc(a[i])
        counts[i, 1] = cuda.clz(a[i])
        counts[i, 2] = cuda.ffs(a[i])
        counts[i, 3] = cuda.popc(b[i]) + cuda.clz(b[i]) + cuda.ffs(b[i])
        reversed_bits[i] = cuda.brev(a[i])
        reversed_wide[i] = cuda.brev(b[i])


def builtins_numbers(x, n, out, ints):
    i = cuda.grid(1)
    if i < x.size:
        v = x[i]
        out[i, 0] = float(n[i])
        out[i, 1] = abs(n[i])
        out[i, 2] = min(v, float32(1.0), x[(i + 7) % x.size])
        out[i, 3] = max(n[i], 3)
        ints[i, 0] = int(n[i] // 3)
        ints[i, 1] = abs(n[i]) % 5
        ints[i, 2] = min(n[i], 0)


def builtin_round(x, out):
    i = cuda.grid(1)
    if i < x.size and abs(x[i]) < 1e6:
        out[i] = round(x[i])


def builtin_bool(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = bool(x[i])


def dtype_casts(x, n, wide, narrow):
    i = cuda.grid(1)
    if i < x.size:
        v = x[i]
        if abs(v) < 100.0:
            narrow[i, 0] = int8(v)
            narrow[i, 1] = uint8(abs(v))
            narrow[i, 2] = int16(v * 300.0)
            narrow[i, 3] = uint16(abs(v) * 600.0)
        m = n[i]
        narrow[i, 4] = int8(m)
        narrow[i, 5] = uint8(m)
        narrow[i, 6] = int16(m)
        narrow[i, 7] = uint16(m)
        wide[i, 0] = int32(m)
        wide[i, 1] = uint32(m)
        wide[i, 2] = int64(m)
        wide[i, 3] = uint64(m)
        wide[i, 4] = int64(float64(m) * 0.5)
        wide[i, 5] = int64(float32(m // 1024))


def float_to_unsigned_cast(x, out):
    i = cuda.grid(1)
    if i < x.size and abs(x[i]) < 100.0:
        out[i] = uint8(x[i])


def integer_division(a, b, out):
    i = cuda.grid(1)
    if i < a.size:
        d = b[i]
        if d != 0:
            out[i, 0] = a[i] // d
            out[i, 1] = a[i] % d
        out[i, 2] = a[i] // 7
        out[i, 3] = a[i] % 7
        out[i, 4] = a[i] // -3
        out[i, 5] = a[i] % -3
        out[i, 6] = -a[i] // 4


def float_division(x, y, out):
    i = cuda.grid(1)
    if i < x.size and y[i] != 0.0:
        out[i, 0] = x[i] / y[i]
        out[i, 1] = x[i] // y[i]
        out[i, 2] = x[i] % y[i]
        out[i, 3] = x[i] % 2.5


def float_floor_division_by_zero(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i, 0] = x[i] // float32(0.0)
        out[i, 1] = x[i] % float32(0.0)


def unsigned_bits(a, s, out):
    i = cuda.grid(1)
    if i < a.size:
        v = a[i]
        k = s[i] % 32
        out[i, 0] = v << k
        out[i, 1] = v >> k
        out[i, 2] = ~v
        out[i, 3] = v & uint32(0xF0F0F0F0)
        out[i, 4] = v | (v >> 16)
        out[i, 5] = v ^ uint32(0xDEADBEEF)
        out[i, 6] = v * uint32(2654435761)
        out[i, 7] = v - uint32(1)


def signed_shifts(a, out):
    i = cuda.grid(1)
    if i < a.size:
        v = a[i]
        out[i, 0] = v >> 3
        out[i, 1] = v << 4
        out[i, 2] = ~v
        out[i, 3] = (v >> 31) & 1
        out[i, 4] = v * 3 + 1
        out[i, 5] = -v


def shifts_out_of_range(a, s, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i, 0] = a[i] << s[i]
        out[i, 1] = a[i] >> s[i]


def int64_min_floor_divide(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i, 0] = a[i] // -1
        out[i, 1] = a[i] % -1


def comparisons(x, y, out):
    i = cuda.grid(1)
    if i < x.size:
        a, b = x[i], y[i]
        out[i, 0] = 1 if -1.0 < a <= b else 0
        out[i, 1] = 1 if a == b or a != a else 0
        out[i, 2] = a if a > b else b
        out[i, 3] = 2 if not (a < 0.0) else -2
        out[i, 4] = 1 if 0.0 <= a < 5.0 != b else 0


def ranges(n, out):
    i = cuda.grid(1)
    if i < n.size:
        m = n[i]
        s = 0
        for k in range(m):
            s += k
        for k in range(-3, m):
            s += 2 * k
        for k in range(m, -m, -2):
            s -= k
        for k in range(1, m * 3, 3):
            s += k & 5
        out[i] = s


def launch_geometry(out):
    x, y = cuda.grid(2)
    wx, wy = cuda.gridsize(2)
    i = y * wx + x
    if i < out.shape[0]:
        out[i, 0] = cuda.laneid
        out[i, 1] = cuda.warpsize
        out[i, 2] = wx * 1000 + wy
        out[i, 3] = cuda.threadIdx.x + cuda.threadIdx.y * cuda.blockDim.x
        out[i, 4] = cuda.blockIdx.x + cuda.blockIdx.y * cuda.gridDim.x
        out[i, 5] = cuda.grid(1) if False else x
        out[i, 6] = cuda.lanemask_lt()


def fences(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = a[i] * 2
        cuda.threadfence()
        cuda.threadfence_block()
        cuda.threadfence_system()
        out[i] += 1


def integer_atomics(a, totals, hist, slot, first):
    i = cuda.grid(1)
    if i < a.size:
        v = a[i]
        cuda.atomic.add(totals, 0, v)
        cuda.atomic.sub(totals, 1, v)
        cuda.atomic.max(totals, 2, v)
        cuda.atomic.min(totals, 3, v)
        cuda.atomic.and_(totals, 4, v | 0x10)
        cuda.atomic.or_(totals, 5, v & 0x7)
        cuda.atomic.xor(totals, 6, v)
        cuda.atomic.add(hist, v & 15, 1)
        first[i] = cuda.atomic.exch(slot, 0, i)


def atomics_sharing_an_array(a, totals, first):
    i = cuda.grid(1)
    if i < a.size:
        cuda.atomic.add(totals, 0, a[i])
        first[i] = cuda.atomic.exch(totals, 1, i)


def float_atomics(x, sums, maxima, minima, old):
    i = cuda.grid(1)
    if i < x.size:
        cuda.atomic.add(sums, i % 4, x[i])
        cuda.atomic.max(maxima, i % 4, x[i])
        old[i] = cuda.atomic.min(minima, i % 4, x[i])


def float_nan_atomics(x, nanmaxima, nanminima):
    i = cuda.grid(1)
    if i < x.size:
        cuda.atomic.nanmax(nanmaxima, i % 4, x[i])
        cuda.atomic.nanmin(nanminima, i % 4, x[i])


def counter_atomics(up, down, cas, swapped, old):
    i = cuda.grid(1)
    if i < old.shape[0]:
        old[i, 0] = cuda.atomic.inc(up, 0, 9)
        old[i, 1] = cuda.atomic.dec(down, i % 2, 5)
        old[i, 2] = cuda.atomic.cas(cas, 0, i % 7, i)
        old[i, 3] = cuda.atomic.compare_and_swap(swapped, i % 5, i)


def shared_atomics(a, out):
    counts = cuda.shared.array(16, int32)
    tid = cuda.threadIdx.x
    if tid < 16:
        counts[tid] = 0
    cuda.syncthreads()
    i = cuda.grid(1)
    if i < a.size:
        cuda.atomic.add(counts, a[i] & 15, 1)
    cuda.syncthreads()
    if tid < 16:
        cuda.atomic.add(out, tid, counts[tid])


def arrays(a, out):
    static = cuda.shared.array(64, float32)
    local = cuda.local.array(4, float64)
    weights = cuda.const.array_like(WEIGHTS)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    static[tid] = a[i]
    for k in range(4):
        local[k] = float64(weights[(tid + k) % 8]) * k
    cuda.syncthreads()
    out[i, 0] = static[63 - tid] + static[(tid + 1) % 64] * 2.0
    out[i, 1] = local[0] + local[1] + local[2] + local[3]


def block_votes(a, out):
    i = cuda.grid(1)
    p = a[i] > 0
    count = cuda.syncthreads_count(p)
    every = cuda.syncthreads_and(p)
    some = cuda.syncthreads_or(a[i] > 3)
    out[i, 0] = count
    out[i, 1] = every
    out[i, 2] = some


def shuffles(a, out, wide):
    i = cuda.grid(1)
    v = a[i]
    out[i, 0] = cuda.shfl_sync(0xFFFFFFFF, v, 3)
    out[i, 1] = cuda.shfl_up_sync(0xFFFFFFFF, v, 1)
    out[i, 2] = cuda.shfl_down_sync(0xFFFFFFFF, v, 5)
    out[i, 3] = cuda.shfl_xor_sync(0xFFFFFFFF, v, 16)
    out[i, 4] = cuda.shfl_sync(0xFFFFFFFF, v, (cuda.laneid + 7) % 32)
    w = float64(v) * 3.0
    out[i, 5] = cuda.shfl_down_sync(0xFFFFFFFF, w, 1)
    k = int64(i) * 4000000000
    wide[i] = cuda.shfl_xor_sync(0xFFFFFFFF, k, 3)
    positive = v > 0.0
    out[i, 6] = cuda.shfl_xor_sync(0xFFFFFFFF, positive, 1)


def warp_votes(a, out):
    i = cuda.grid(1)
    p = a[i] > 0
    out[i, 0] = cuda.ballot_sync(0xFFFFFFFF, p)
    out[i, 1] = cuda.any_sync(0xFFFFFFFF, a[i] > 6)
    out[i, 2] = cuda.all_sync(0xFFFFFFFF, a[i] > -9)
    out[i, 3] = cuda.eq_sync(0xFFFFFFFF, p)
    out[i, 4] = cuda.activemask()
    out[i, 5] = cuda.ballot_sync(0x0000FFFF, p)
    out[i, 6] = cuda.all_sync(0xFFFF0000, a[i] > 0)


def warp_match_any(a, out):
    i = cuda.grid(1)
    out[i] = cuda.match_any_sync(0xFFFFFFFF, a[i] & 3)


def warp_match_all(a, out, agree):
    i = cuda.grid(1)
    mask, pred = cuda.match_all_sync(0xFFFFFFFF, a[i] // 64)
    out[i] = mask
    agree[i] = pred


def min_max_signed_zeros(a, b, out, largest):
    i = cuda.grid(1)
    if i < a.size:
        out[i, 0] = min(a[i], b[i])
        out[i, 1] = max(a[i], b[i])
        cuda.atomic.max(largest, i % 2, a[i])


def _signed_zeros(rng):
    a = np.array([0.0, -0.0] * (N // 2), np.float32)
    return [a, -a, np.zeros((N, 2), np.float32), np.zeros(2, np.float32)]


def _two(rng, make):
    return [make(rng), make(rng)]


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
    Case(
        "cuda_float_intrinsics",
        cuda_float_intrinsics,
        2,
        128,
        lambda r: [floats(r), floats(r)[::-1].copy(), floats(r), np.zeros((N, 3), np.float32)],
    ),
    Case("cuda_cbrt", cuda_cbrt, 2, 128, lambda r: [floats(r), np.zeros(N, np.float32)]),
    Case(
        "bit_intrinsics",
        bit_intrinsics,
        2,
        128,
        lambda r: [
            integers(r, np.uint32),
            integers(r, np.int64),
            np.zeros((N, 4), np.int32),
            np.zeros(N, np.uint32),
            np.zeros(N, np.uint64),
        ],
    ),
    Case(
        "builtins_numbers",
        builtins_numbers,
        2,
        128,
        lambda r: [
            floats(r),
            integers(r, np.int32),
            np.zeros((N, 4), np.float64),
            np.zeros((N, 3), np.int64),
        ],
    ),
    Case(
        "float_to_unsigned_cast",
        float_to_unsigned_cast,
        2,
        128,
        lambda r: [floats(r), np.zeros(N, np.uint8)],
    ),
    Case("builtin_round", builtin_round, 2, 128, lambda r: [floats(r), np.zeros(N, np.int64)]),
    Case("builtin_bool", builtin_bool, 2, 128, lambda r: [floats(r), np.zeros(N, np.int32)]),
    Case(
        "dtype_casts",
        dtype_casts,
        2,
        128,
        lambda r: [
            floats(r),
            integers(r, np.int64),
            np.zeros((N, 6), np.int64),
            np.zeros((N, 8), np.int64),
        ],
    ),
    Case("min_max_signed_zeros", min_max_signed_zeros, 2, 128, _signed_zeros),
    Case(
        "integer_division_int32",
        integer_division,
        2,
        128,
        lambda r: [*_two(r, lambda g: integers(g, np.int32)), np.zeros((N, 7), np.int32)],
    ),
    Case(
        "integer_division_int8",
        integer_division,
        2,
        128,
        lambda r: [*_two(r, lambda g: integers(g, np.int8)), np.zeros((N, 7), np.int8)],
    ),
    Case(
        "float_division",
        float_division,
        2,
        128,
        lambda r: [floats(r), floats(r)[::-1].copy(), np.zeros((N, 4), np.float32)],
    ),
    Case(
        "float_floor_division_by_zero",
        float_floor_division_by_zero,
        2,
        128,
        lambda r: [floats(r), np.zeros((N, 2), np.float32)],
    ),
    Case(
        "unsigned_bits",
        unsigned_bits,
        2,
        128,
        lambda r: [integers(r, np.uint32), integers(r, np.uint8), np.zeros((N, 8), np.uint32)],
    ),
    Case(
        "signed_shifts",
        signed_shifts,
        2,
        128,
        lambda r: [integers(r, np.int32), np.zeros((N, 6), np.int32)],
    ),
    Case(
        "shifts_out_of_range",
        shifts_out_of_range,
        2,
        128,
        lambda r: [
            integers(r, np.int64),
            np.arange(-64, N - 64, dtype=np.int64),
            np.zeros((N, 2), np.int64),
        ],
    ),
    Case(
        "int64_min_floor_divide",
        int64_min_floor_divide,
        2,
        128,
        lambda r: [integers(r, np.int64), np.zeros((N, 2), np.int64)],
    ),
    Case(
        "comparisons",
        comparisons,
        2,
        128,
        lambda r: [floats(r), floats(r)[::-1].copy(), np.zeros((N, 5), np.float32)],
    ),
    Case(
        "ranges",
        ranges,
        2,
        128,
        lambda r: [r.integers(-4, 40, N).astype(np.int32), np.zeros(N, np.int64)],
    ),
    Case(
        "launch_geometry",
        launch_geometry,
        (2, 3),
        (16, 4),
        lambda r: [np.zeros((300, 7), np.int64)],
    ),
    Case(
        "fences",
        fences,
        2,
        128,
        lambda r: [integers(r, np.int32), np.zeros(N, np.int32)],
    ),
    Case(
        "integer_atomics",
        integer_atomics,
        2,
        128,
        lambda r: [
            r.integers(-50, 50, N).astype(np.int32),
            np.array([0, 0, -(2**31), 2**31 - 1, -1, 0, 0], np.int32),
            np.zeros(16, np.int32),
            np.zeros(1, np.int32),
            np.zeros(N, np.int32),
        ],
    ),
    Case(
        "atomics_sharing_an_array",
        atomics_sharing_an_array,
        2,
        128,
        lambda r: [integers(r, np.int32), np.zeros(2, np.int32), np.zeros(N, np.int32)],
    ),
    Case(
        "float_atomics",
        float_atomics,
        2,
        128,
        lambda r: [
            floats(r),
            np.zeros(4, np.float32),
            np.full(4, -np.inf, np.float32),
            np.full(4, np.inf, np.float32),
            np.zeros(N, np.float32),
        ],
    ),
    Case(
        "float_nan_atomics",
        float_nan_atomics,
        2,
        128,
        lambda r: [floats(r), np.full(4, np.nan, np.float32), np.zeros(4, np.float32)],
    ),
    Case(
        "counter_atomics",
        counter_atomics,
        2,
        128,
        lambda r: [
            np.zeros(1, np.uint32),
            np.array([3, 0], np.uint32),
            np.zeros(1, np.int32),
            np.zeros(1, np.uint64),
            np.zeros((N, 4), np.int64),
        ],
    ),
    Case(
        "shared_atomics",
        shared_atomics,
        2,
        128,
        lambda r: [integers(r, np.int32), np.zeros(16, np.int32)],
    ),
    Case(
        "arrays",
        arrays,
        4,
        64,
        lambda r: [floats(r), np.zeros((N, 2), np.float32)],
    ),
    Case(
        "block_votes",
        block_votes,
        2,
        128,
        lambda r: [r.integers(-10, 10, N).astype(np.int32), np.zeros((N, 3), np.int32)],
    ),
    Case(
        "shuffles",
        shuffles,
        2,
        96,
        lambda r: [floats(r, n=192), np.zeros((192, 7), np.float32), np.zeros(192, np.int64)],
    ),
    Case(
        "warp_votes",
        warp_votes,
        2,
        96,
        lambda r: [r.integers(-10, 10, 192).astype(np.int32), np.zeros((192, 7), np.int64)],
    ),
    Case(
        "warp_match_any",
        warp_match_any,
        2,
        96,
        lambda r: [integers(r, np.int32, 192), np.zeros(192, np.int64)],
    ),
    Case(
        "warp_match_all",
        warp_match_all,
        2,
        96,
        lambda r: [
            np.arange(192, dtype=np.int32),
            np.zeros(192, np.int64),
            np.zeros(192, np.int32),
        ],
    ),
]
