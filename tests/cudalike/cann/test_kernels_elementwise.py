"""Element-wise reference kernels (add, mul, axpy, relu, silu, cast) against numpy oracles.

Sizes: 1 element, odd lengths, lengths that are not a multiple of 32 bytes, and lengths
spanning several blocks with ragged last tiles. Tolerances: add, mul, axpy, relu and cast are
exact, since each instruction rounds once to the operand type exactly as numpy does per
operation; silu chains four rounded instructions with an Exp computed in fp32 and rounded,
so allow a few ulps: 4e-3 relative for fp16 (ulp 2^-10 ~ 1e-3), 1e-6 for fp32. In fp16
exp(-x) overflows to inf for x < -11, giving -0 where silu is above -2e-4: atol 2e-4.
"""

import numpy as np
import pytest

from cudalike.cann.kernels import add, axpy, cast, mul, relu, silu

SIZES = [1, 15, 17, 33, 1000, 4099, 12_345]
DTYPES = [np.float16, np.float32]


def data(n, dtype, seed):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(n) * 8).astype(dtype), (rng.standard_normal(n) * 8).astype(dtype)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_add_mul_axpy_relu_exact(n, dtype):
    x, y = data(n, dtype, n)
    blocks = 1 + n % 7
    np.testing.assert_array_equal(add.add(x, y, num_blocks=blocks, tile_length=512), x + y)
    np.testing.assert_array_equal(mul.mul(x, y, num_blocks=blocks, tile_length=512), x * y)
    alpha = dtype(-1.5)
    np.testing.assert_array_equal(axpy.axpy(-1.5, x, y, num_blocks=blocks), alpha * x + y)
    np.testing.assert_array_equal(relu.relu(x, num_blocks=blocks), np.maximum(x, dtype(0)))


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype, rtol, atol", [(np.float16, 4e-3, 2e-4), (np.float32, 1e-6, 1e-8)])
def test_silu(n, dtype, rtol, atol):
    x, _ = data(n, dtype, n + 1)
    wide = x.astype(np.float64)
    expected = wide / (1 + np.exp(-wide))
    np.testing.assert_allclose(
        silu.silu(x, num_blocks=3, tile_length=256), expected, rtol=rtol, atol=atol
    )


@pytest.mark.filterwarnings("ignore:overflow")
@pytest.mark.parametrize("n", SIZES)
def test_cast_fp32_to_fp16_rounds_to_nearest_even(n):
    x = np.random.default_rng(n).standard_normal(n).astype(np.float32) * 1000
    x[0] = 70000.0  # beyond half's range: saturates to inf as numpy's cast does
    np.testing.assert_array_equal(
        cast.cast_fp32_to_fp16(x, num_blocks=5, tile_length=256), x.astype(np.float16)
    )


def test_two_dimensional_inputs_and_shape_mismatch():
    x, y = data(35, np.float32, 3)
    np.testing.assert_array_equal(mul.mul(x.reshape(5, 7), y.reshape(5, 7)), (x * y).reshape(5, 7))
    with pytest.raises(ValueError, match="differ in shape"):
        mul.mul(x, y[:-1])
