"""cmath.log with a base, as numba compiles it."""

from __future__ import annotations

import cmath

import numpy as np

from cudalike import cuda


def test_cmath_log_with_a_base() -> None:
    @cuda.jit
    def kernel(x, base, out):
        i = cuda.grid(1)
        if i < x.size:
            out[i] = cmath.log(x[i], base[i])

    x = np.array([8 + 0j, -1 + 1j, 2j])
    base = np.array([2 + 0j, 3 - 1j, 10 + 0j])
    out = np.zeros_like(x)
    kernel[1, 4](x, base, out)
    np.testing.assert_allclose(out, [cmath.log(a, b) for a, b in zip(x, base, strict=True)])


def _same_with_signs(got: complex, expected: complex) -> bool:
    parts = ((got.real, expected.real), (got.imag, expected.imag))
    return all(np.copysign(1, a) == np.copysign(1, b) and (a == b or a != a) for a, b in parts)


def test_exp_and_rect_keep_cmaths_signed_zeros_and_infinities() -> None:
    @cuda.jit
    def kernel(z, r, phi, exps, rects):
        i = cuda.grid(1)
        if i < z.size:
            exps[i] = cmath.exp(z[i])
            rects[i] = cmath.rect(r[i], phi[i])

    inf = float("inf")
    z = np.array([complex(-inf, -inf), complex(-inf, 1.0), 1 + 1j, complex(0.0, -0.0)])
    r = np.array([0.0, 0.0, 2.0, 1.0])
    phi = np.array([-1.0, -inf, 0.5, -0.0])
    exps, rects = np.zeros_like(z), np.zeros_like(z)
    kernel[1, 4](z, r, phi, exps, rects)
    for k in range(4):
        assert _same_with_signs(exps[k], cmath.exp(z[k])), (k, exps[k])
        assert _same_with_signs(rects[k], cmath.rect(r[k], phi[k])), (k, rects[k])
