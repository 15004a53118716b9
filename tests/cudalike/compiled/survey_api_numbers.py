"""Python's built-ins, numba's dtype constructors and the operators on numbers of the device API
cudalike supports (integer `//` and `%` with negative operands, shifts, bitwise operations on
unsigned types, comparison chains, ternaries, `range`), with operands reaching the edges (see
survey_api.py). test_survey_api.py runs every case under both tiers."""

import numpy as np
from numba import float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64

from cudalike import cuda
from tests.cudalike.compiled.survey_api import N, floats, integers
from tests.cudalike.compiled.survey_grids import Case


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


CASES = [
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
]
