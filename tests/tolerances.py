"""Tolerances for floating-point results whose bits cudalike does not define (docs/testing.md).

A sum, dot product or matmul computed by numpy or BLAS adds its terms in an order that depends
on the CPU's SIMD width, the BLAS kernel, the thread count and the shape; a transcendental
ufunc (exp, log, tanh...) may take a SIMD polynomial on one CPU and libm on another. Two
correct results can then differ in their last bits, so such results are compared within the
error bound of the operation, derived from the dtype and the reduction length, never exactly:

    assert_close_reduction(c, a32 @ b32, np.float32, length=k, scale=abs(a32) @ abs(b32))
    assert_close_ulps(exp_half, np.exp(x32).astype(np.float16), np.float32, ulps=4)
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

__all__ = ["assert_close_reduction", "assert_close_ulps", "reduction_atol"]


def reduction_atol(dtype: DTypeLike, length: int, scale: ArrayLike) -> np.ndarray:
    """Largest difference two summation orders of `length` terms may produce: k eps scale.

    Any order of a recursive or pairwise sum of k terms in a dtype with unit roundoff
    u = eps / 2 satisfies |computed - exact| <= gamma_k * sum(|terms|), gamma_k = k u / (1 - k u)
    (Higham, Accuracy and Stability of Numerical Algorithms, section 4.2). Two orders each
    within that bound differ by at most 2 gamma_k * sum(|terms|), about k eps sum(|terms|).

    Args:
        dtype: the dtype the terms are accumulated in.
        length: the number of terms summed for one output element (k of a matmul).
        scale: sum(|terms|) per output element, or a bound on it (broadcastable).
    """
    eps = float(np.finfo(dtype).eps)
    length = max(int(length), 1)
    return 1.01 * length * eps * np.abs(np.asarray(scale, dtype=np.float64))


def assert_close_reduction(
    actual: ArrayLike,
    expected: ArrayLike,
    dtype: DTypeLike,
    length: int,
    *,
    scale: ArrayLike | None = None,
) -> None:
    """Assert that two results of a length-`length` reduction agree within its error bound.

    The allowed difference per element is `reduction_atol(dtype, length, scale)` plus one
    rounding of the result's own dtype (eps(result dtype) * |expected|), since both values
    were rounded to it after accumulating.

    Args:
        actual: the result under test.
        expected: the oracle's result (numpy, BLAS, or cudalike itself with another tiling).
        dtype: the accumulation dtype (float32 for a half-input matmul accumulating in fp32).
        length: terms summed per output element.
        scale: sum(|terms|) per element (e.g. `abs(a) @ abs(b)` for a matmul, `abs(x).sum()`
            for a sum); defaults to |expected|, which is right only when the terms share a
            sign (no cancellation).

    Raises:
        AssertionError: naming the worst element, its values and the allowed difference.
    """
    actual_f = np.asarray(actual, dtype=np.float64)
    expected_f = np.asarray(expected, dtype=np.float64)
    assert actual_f.shape == expected_f.shape, f"shapes {actual_f.shape} != {expected_f.shape}"
    result_dtype = np.result_type(np.asarray(actual).dtype, np.asarray(expected).dtype)
    rounding = np.finfo(result_dtype) if result_dtype.kind == "f" else None
    output_ulp = 0.0
    if rounding is not None:  # one unit in the last place of |expected| (subnormals included)
        output_ulp = float(rounding.eps) * np.abs(expected_f) + float(rounding.smallest_subnormal)
    scale = np.abs(expected_f) if scale is None else scale
    allowed = reduction_atol(dtype, length, scale) + output_ulp
    _assert_within(actual_f, expected_f, allowed, f"{length}-term reduction in {dtype}")


def assert_close_ulps(
    actual: ArrayLike, expected: ArrayLike, dtype: DTypeLike, ulps: float = 4.0
) -> None:
    """Assert a transcendental result is within `ulps` units of `dtype` (its compute dtype),
    plus one rounding of the result's dtype when that is narrower.

    numpy documents its SIMD float32 exp and log as within 4 ULP of the correctly rounded
    result; libm is within 1, so 4 covers either pairing.
    """
    actual_f = np.asarray(actual, dtype=np.float64)
    expected_f = np.asarray(expected, dtype=np.float64)
    result_dtype = np.asarray(actual).dtype
    rounding = float(np.finfo(result_dtype).eps) if result_dtype != np.dtype(dtype) else 0.0
    eps = float(np.finfo(dtype).eps)
    tiny = float(np.finfo(result_dtype).smallest_subnormal)
    allowed = (ulps * eps + rounding) * np.abs(expected_f) + tiny
    _assert_within(actual_f, expected_f, allowed, f"{ulps} ULP of {np.dtype(dtype).name}")


def _assert_within(actual: np.ndarray, expected: np.ndarray, allowed, what: str) -> None:
    """Equal NaN/inf patterns, then |actual - expected| <= allowed element by element."""
    same_special = (np.isnan(actual) & np.isnan(expected)) | (
        np.isinf(actual) & (actual == expected)
    )
    finite = ~same_special
    with np.errstate(invalid="ignore"):  # inf - inf where only one side is infinite
        difference = np.where(finite, np.abs(actual - expected), 0.0)
    allowed = np.broadcast_to(allowed, difference.shape)
    bad = finite & ~(difference <= allowed)
    if bad.any():
        worst = np.unravel_index(np.argmax(np.where(bad, difference - allowed, -np.inf)), bad.shape)
        raise AssertionError(
            f"{int(bad.sum())} of {bad.size} elements differ by more than a {what} allows; "
            f"worst at {tuple(int(i) for i in worst)}: {actual[worst]!r} vs {expected[worst]!r}, "
            f"difference {difference[worst]:.3g} > allowed {allowed[worst]:.3g}"
        )
