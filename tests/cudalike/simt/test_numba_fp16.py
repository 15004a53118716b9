"""cuda.fp16 intrinsics: float16 results rounded once, comparisons as booleans, as in numba."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cuda


def test_arithmetic_rounds_once_to_float16() -> None:
    @cuda.jit
    def kernel(out, a, b, c):
        out[0] = cuda.fp16.hadd(a[0], b[0])
        out[1] = cuda.fp16.hsub(a[0], b[0])
        out[2] = cuda.fp16.hmul(a[0], b[0])
        out[3] = cuda.fp16.hdiv(a[0], b[0])
        out[4] = cuda.fp16.hfma(a[0], b[0], c[0])
        out[5] = cuda.fp16.hneg(a[0])
        out[6] = cuda.fp16.habs(b[0])

    a, b, c = (np.array([v], np.float16) for v in (3.1, -4.7, 0.3))
    out = np.zeros(7, np.float16)
    kernel[1, 1](out, a, b, c)
    wide = [np.float64(x[0]) for x in (a, b, c)]
    expected = [
        wide[0] + wide[1],
        wide[0] - wide[1],
        wide[0] * wide[1],
        wide[0] / wide[1],
        wide[0] * wide[1] + wide[2],
        -wide[0],
        abs(wide[1]),
    ]
    np.testing.assert_array_equal(out, np.array(expected).astype(np.float16))


@pytest.mark.parametrize(
    ("name", "expected"),
    [("hlt", True), ("hle", True), ("hgt", False), ("hge", False), ("heq", False), ("hne", True)],
)
def test_comparisons_are_booleans(name, expected) -> None:
    @cuda.jit
    def kernel(out, a, b):
        out[0] = cuda.fp16.hlt(a, b)
        out[1] = cuda.fp16.hle(a, b)
        out[2] = cuda.fp16.hgt(a, b)
        out[3] = cuda.fp16.hge(a, b)
        out[4] = cuda.fp16.heq(a, b)
        out[5] = cuda.fp16.hne(a, b)

    out = np.zeros(6, np.bool_)
    kernel[1, 1](out, np.float16(1.5), np.float16(2.5))
    names = ["hlt", "hle", "hgt", "hge", "heq", "hne"]
    assert out[names.index(name)] == expected


def test_math_functions_per_thread() -> None:
    @cuda.jit
    def kernel(r, x):
        i = cuda.grid(1)
        if i < x.size:
            r[i, 0] = cuda.fp16.hsqrt(x[i])
            r[i, 1] = cuda.fp16.hexp2(x[i])
            r[i, 2] = cuda.fp16.hrcp(x[i])
            r[i, 3] = cuda.fp16.hfloor(x[i])
            r[i, 4] = cuda.fp16.hmax(x[i], np.float16(1.0))

    x = np.array([0.5, 1.25, 4.0, 9.5], np.float16)
    r = np.zeros((4, 5), np.float16)
    kernel[1, 4](r, x)
    wide = x.astype(np.float64)
    expected = np.stack(
        [np.sqrt(wide), np.exp2(wide), 1.0 / wide, np.floor(wide), np.fmax(wide, 1.0)], axis=1
    ).astype(np.float16)
    np.testing.assert_array_equal(r, expected)
