"""min() and max() of per-lane floats give the vector engine's bytes on the compiled tier:
numpy's loops return the second operand when the two compare equal (0.0 and -0.0), and NaN
when either is NaN."""

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from tests.cudalike.compiled.tiers import compare_tiers

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
# numpy's loops on x86 return the second operand of two equal ones; compiled code does the same,
# so the signed zeros are compared only where numpy does that here
_SECOND = np.float32([0.0, -0.0])
SECOND_OF_EQUALS = np.array_equal(np.signbit(np.maximum(_SECOND, _SECOND[::-1])), [True, False])
SPECIAL = [1.0, -1.0, np.nan, np.inf, -np.inf] + ([0.0, -0.0] if SECOND_OF_EQUALS else [0.0])


def min_and_max(a, b, out):
    i = cuda.grid(1)
    if i < a.size:
        out[0, i] = max(a[i], b[i])
        out[1, i] = min(a[i], b[i])
        out[2, i] = max(b[i], a[i])
        out[3, i] = min(b[i], a[i])


def atomic_max_min(a, out):
    i = cuda.grid(1)
    if i < a.size:
        cuda.atomic.max(out, i % 2, a[i])
        cuda.atomic.min(out, 2 + i % 2, a[i])


def _pairs(dtype):
    def make(rng):
        a, b = np.meshgrid(np.array(SPECIAL, dtype), np.array(SPECIAL, dtype))
        return [a.ravel(), b.ravel(), np.zeros((4, a.size), dtype)]

    return make


@CHECKS
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_min_and_max_of_signed_zeros_and_nans_keep_the_vector_engines_bytes(dtype, checks):
    error, counts, (a, b, out) = compare_tiers(
        cuda.jit(min_and_max), 1, 64, _pairs(dtype), checks, KernelError
    )
    assert error is None and counts.get("compiled") == 1


@CHECKS
def test_atomic_max_and_min_of_signed_zeros_keep_the_vector_engines_bytes(checks):
    def make(rng):
        values = [0.0, -0.0, -0.0, 0.0] if SECOND_OF_EQUALS else [0.0, 1.0, -1.0, 2.0]
        return [np.array(values * 8, np.float32), np.zeros(4, np.float32)]

    error, _, _ = compare_tiers(cuda.jit(atomic_max_min), 1, 32, make, checks, KernelError)
    assert error is None
