"""The tolerance helpers (tests/tolerances.py) accept reordered sums and reject wrong answers."""

import numpy as np
import pytest

from tests.tolerances import assert_close_reduction, assert_close_ulps, reduction_atol


def test_a_reordered_float32_sum_is_close_and_a_wrong_one_is_not():
    terms = np.random.default_rng(0).standard_normal(10_000).astype(np.float32)
    forward, pairwise = np.float32(0), terms.sum()
    for value in terms:
        forward += value
    scale = np.abs(terms).sum()
    assert_close_reduction([forward], [pairwise], np.float32, terms.size, scale=scale)
    with pytest.raises(AssertionError, match="1 of 1 elements"):
        assert_close_reduction(
            [forward + scale / 100], [pairwise], np.float32, terms.size, scale=scale
        )


def test_neighbouring_halves_after_rounding_are_close():
    value = np.float16(1.2216796875)
    neighbour = np.nextafter(value, np.float16(2))
    assert_close_reduction([neighbour], [value], np.float32, 77, scale=30.0)
    with pytest.raises(AssertionError):
        assert_close_reduction([np.float16(1.25)], [value], np.float32, 77, scale=30.0)


def test_the_bound_grows_with_length_and_dtype():
    assert reduction_atol(np.float32, 100, 1.0) == pytest.approx(101 * np.finfo(np.float32).eps)
    assert reduction_atol(np.float16, 1, 1.0) > reduction_atol(np.float32, 1000, 1.0)


def test_ulps_accept_nan_and_inf_where_both_have_them():
    expected = np.array([np.nan, np.inf, 1.0], np.float32)
    assert_close_ulps(expected.copy(), expected, np.float32)
    with pytest.raises(AssertionError):
        assert_close_ulps(np.array([np.nan, np.inf, 1.001], np.float32), expected, np.float32)
