"""Row-wise reference kernels (reduce_sum, softmax, layernorm, rmsnorm) and transpose.

Shapes include single rows, single-element rows and row lengths that are not a multiple of 32
bytes. The kernels compute in float32 (halves widened in UB), so fp32 results are checked
against a float64 oracle to a few float ulps times log(cols) of summation (rtol 1e-5); fp16
results are the float32 result rounded once to half, so rtol 2^-10 ~ 1e-3 (one half ulp) plus
an absolute floor for values near zero.
"""

import numpy as np
import pytest

from cudalike.cann.kernels import layernorm, reduce_sum, rmsnorm, softmax, transpose

SHAPES = [(1, 1), (1, 300), (5, 1), (7, 33), (37, 101), (64, 256), (3, 1000)]
TOL = {np.float16: dict(rtol=1e-3, atol=2e-3), np.float32: dict(rtol=1e-5, atol=1e-6)}


def rows(shape, dtype, seed=0, scale=3.0):
    return (np.random.default_rng(seed).standard_normal(shape) * scale).astype(dtype)


def close(actual, expected, dtype):
    np.testing.assert_allclose(actual.astype(np.float64), expected, **TOL[dtype])


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_reduce_sum(shape, dtype):
    x = rows(shape, dtype)
    expected = x.astype(np.float64).sum(axis=1)
    # a sum of cols values of size ~3 cancels: scale the absolute floor by sqrt(cols).
    np.testing.assert_allclose(
        reduce_sum.reduce_sum(x, num_blocks=4).astype(np.float64),
        expected,
        rtol=TOL[dtype]["rtol"],
        atol=TOL[dtype]["atol"] * np.sqrt(shape[1]) * 4,
    )


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_softmax_is_stable(shape, dtype):
    x = rows(shape, dtype, 1, scale=30.0)  # exp(x) would overflow without the max shift
    wide = x.astype(np.float64)
    e = np.exp(wide - wide.max(axis=1, keepdims=True))
    close(softmax.softmax(x, num_blocks=3), e / e.sum(axis=1, keepdims=True), dtype)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", [np.float16, np.float32])
def test_layernorm_and_rmsnorm(shape, dtype):
    x = rows(shape, dtype, 2)
    gamma = rows(shape[1], dtype, 3, 1.0)
    beta = rows(shape[1], dtype, 4, 1.0)
    wide, g, b = (a.astype(np.float64) for a in (x, gamma, beta))
    mean = wide.mean(axis=1, keepdims=True)
    var = wide.var(axis=1, keepdims=True)
    tol = dict(TOL[dtype], atol=TOL[dtype]["atol"] * 10)  # normalised values reach ~|gamma| * 3
    np.testing.assert_allclose(
        layernorm.layernorm(x, gamma, beta, num_blocks=4).astype(np.float64),
        (wide - mean) / np.sqrt(var + 1e-5) * g + b,
        **tol,
    )
    rms = np.sqrt((wide * wide).mean(axis=1, keepdims=True) + 1e-6)
    np.testing.assert_allclose(
        rmsnorm.rmsnorm(x, gamma, num_blocks=4).astype(np.float64), wide / rms * g, **tol
    )


@pytest.mark.parametrize("shape", [(1, 1), (1, 17), (9, 1), (13, 29), (64, 48)])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.int8])
def test_transpose(shape, dtype):
    x = (np.arange(np.prod(shape)) % 100).astype(dtype).reshape(shape)
    np.testing.assert_array_equal(transpose.transpose(x, num_blocks=5), x.T)


def test_rows_too_long_for_ub_are_refused():
    with pytest.raises(ValueError, match="needs .* bytes of UB"):
        softmax.softmax(np.zeros((1, 100_000), np.float32))
