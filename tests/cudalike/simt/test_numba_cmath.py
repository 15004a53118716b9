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
