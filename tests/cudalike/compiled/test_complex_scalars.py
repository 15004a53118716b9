"""The compiled tier's complex operations (numpy_scalars) against numpy's and Python's, bit for
bit, over special operands (zeros of both signs, infinities, NaNs, subnormals, huge and tiny
parts) and random ones: the basis for what complex_numbers.py compiles."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numba import njit

from cudalike.simt.compiled import complex_numbers
from cudalike.simt.compiled import numpy_scalars as ns

_SPECIALS = [0.0, -0.0, 1.0, -1.0, 3.0, -2.5, 0.1, np.inf, -np.inf, np.nan, 5e-324, -5e-324]
_SPECIALS += [2.2e-308, 1e-320, 1e-45, 1e-38, 3.4e38, 1e200, -1e-200, 1e308, -1.7e308]
_PARTS = st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True)
_KINDS = pytest.mark.parametrize("dtype", [np.complex128, np.complex64])

pytestmark = pytest.mark.skipif(
    not complex_numbers._FUSED, reason="numpy's complex loops do not fuse on this machine"
)


@njit
def _numbas_product(a, b):
    return a * b


def _special_values(dtype) -> np.ndarray:
    with np.errstate(all="ignore"):
        parts = np.array(_SPECIALS).astype(np.dtype(dtype).type(0).real.dtype)
    return np.array([complex(r, i) for r, i in itertools.product(parts, parts)], dtype)


def _pairs(dtype) -> tuple[np.ndarray, np.ndarray]:
    values = _special_values(dtype)
    left, right = np.meshgrid(values, values)
    return left.ravel(), right.ravel()


def _bits(values) -> bytes:
    return np.asarray(values).tobytes()


def _each(function, *columns, dtype):
    """`function` of each row, or NaN (in each part) where it hands back (ArithmeticError)."""
    handed = complex(np.nan, np.nan) if np.dtype(dtype).kind == "c" else np.nan
    return np.array([_answer(function, handed, *row) for row in zip(*columns, strict=True)], dtype)


def _answer(function, handed, *args):
    try:
        return function(*args)
    except ArithmeticError:
        return handed


def _same_or_nan(got, expected) -> bool:
    """Whether `got` has `expected`'s bits wherever `expected` has no NaN part, and NaN parts
    (the launch handed back) exactly where `expected` has one."""
    got, expected = np.asarray(got), np.asarray(expected)
    if got.dtype.kind == "c":
        nan = np.isnan(expected.real) | np.isnan(expected.imag)
        handed = np.isnan(got.real) & np.isnan(got.imag)
    else:
        nan, handed = np.isnan(expected), np.isnan(got)
    return bool(np.all(nan == handed)) and _bits(got[~nan]) == _bits(expected[~nan])


@_KINDS
def test_multiply_is_numpys_array_multiply_at_special_values(dtype):
    left, right = _pairs(dtype)
    with np.errstate(all="ignore"):
        expected = left * right
    assert _same_or_nan(_each(ns.complex_multiply, left, right, dtype=dtype), expected)


@_KINDS
def test_multiply_with_one_number_is_numpys_broadcast_multiply(dtype):
    values = _special_values(dtype)
    for number in values[::17]:
        with np.errstate(all="ignore"):
            expected = values * number
        got = _each(lambda v, n=number: ns.complex_multiply(v, n), values, dtype=dtype)
        assert _same_or_nan(got, expected)


def test_rounded_product_is_pythons_and_numpys_scalar_product():
    left, right = _pairs(np.complex128)
    with np.errstate(all="ignore"):
        python = np.array([complex(a) * complex(b) for a, b in zip(left, right, strict=True)])
        scalar = np.array([a * b for a, b in zip(left, right, strict=True)])
    got = _each(ns.complex_multiply_rounded, left, right, dtype=np.complex128)
    assert _same_or_nan(got, python)
    assert _same_or_nan(got, scalar)


def test_numbas_own_product_differs_from_numpys_and_pythons():
    """Why compiled code writes no `a * b` of complex numbers: numba's own product is neither
    numpy's array product (fused) nor, where NaNs meet, Python's."""
    left, right = _pairs(np.complex128)
    with np.errstate(all="ignore"):
        numbas = _each(_numbas_product, left, right, dtype=np.complex128)
        assert _bits(numbas) != _bits(left * right)
        assert _bits(numbas) != _bits(
            np.array([complex(a) * complex(b) for a, b in zip(left, right, strict=True)])
        )


@_KINDS
def test_a_zero_times_a_finite_number_is_both_products(dtype):
    left, right = _pairs(dtype)
    zero = (left == 0) | (right == 0)
    left, right = left[zero], right[zero]
    with np.errstate(all="ignore"):
        fused = left * right
    got = _each(ns.complex_multiply, left, right, dtype=dtype)
    rounded = _each(ns.complex_multiply_rounded, left, right, dtype=dtype)
    assert _same_or_nan(got, fused)
    assert _bits(got) == _bits(rounded)
    finite = np.isfinite(left) & np.isfinite(right)
    assert not np.isnan(got[finite]).any()


def test_checked_multiply_is_both_products_or_hands_back():
    left, right = _pairs(np.complex128)
    with np.errstate(all="ignore"):
        fused = left * right
        python = np.array([complex(a) * complex(b) for a, b in zip(left, right, strict=True)])
    got = _each(ns.complex_multiply_checked, left, right, dtype=np.complex128)
    answered = ~np.isnan(got)
    assert answered.sum() > len(left) // 4
    assert _bits(got[answered]) == _bits(fused[answered]) == _bits(python[answered])


@_KINDS
def test_abs_is_numpys_array_abs(dtype):
    values = _special_values(dtype)
    got = _each(ns.complex_abs, values, dtype=values.real.dtype)
    assert _same_or_nan(got, np.abs(values))


def test_checked_abs_is_pythons_and_numpys_scalar_abs_or_hands_back():
    values = _special_values(np.complex128)
    got = _each(ns.complex_abs_checked, values, dtype=np.float64)
    answered = ~np.isnan(got)
    assert answered.sum() > len(values) // 4
    python = np.array([abs(complex(v)) for v in values[answered]])
    scalar = np.array([np.abs(v) for v in values[answered]])
    assert _bits(got[answered]) == _bits(python) == _bits(scalar)


@_KINDS
def test_divide_is_numpys_loop_or_hands_back_a_nan(dtype):
    left, right = _pairs(dtype)
    with np.errstate(all="ignore"):
        expected = left / right
    assert _same_or_nan(_each(ns.complex_divide, left, right, dtype=dtype), expected)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_PARTS, _PARTS, _PARTS, _PARTS), min_size=1, max_size=40))
def test_random_operands_agree_with_numpy(rows):
    for dtype in (np.complex128, np.complex64):
        with np.errstate(all="ignore"):
            left = np.array([complex(a, b) for a, b, _, _ in rows], dtype)
            right = np.array([complex(c, d) for _, _, c, d in rows], dtype)
            product, quotient, size = left * right, left / right, np.abs(left)
        assert _same_or_nan(_each(ns.complex_multiply, left, right, dtype=dtype), product)
        assert _same_or_nan(_each(ns.complex_divide, left, right, dtype=dtype), quotient)
        assert _same_or_nan(_each(ns.complex_abs, left, dtype=size.dtype), size)


@njit
def _made(real, imag):
    return complex(real, imag)


def test_complex_keeps_the_parts_signs():
    for real, imag in itertools.product([0.0, -0.0, np.nan, -np.inf], repeat=2):
        assert _bits(np.complex128(_made(real, imag))) == _bits(np.complex128(complex(real, imag)))
