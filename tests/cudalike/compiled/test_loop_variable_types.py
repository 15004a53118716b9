"""The type of a `for` loop's variable, and of what is computed from it, on both tiers.

The vector engine gives every lane the same Python int when a range's bounds are Python ints
(however masked), and per-lane int64 values merged under the mask otherwise; float32 times a
Python int stays float32, float32 times an int64 array is float64. Both tiers give the same
bytes, and the compiled tier runs a loop over Python-int bounds."""

import numpy as np
import pytest
from numba import float32

from cudalike import cuda
from cudalike.errors import KernelError
from tests.cudalike.compiled.tiers import compare_tiers

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])


def weights_by_loop_index(a, out):
    """float32 times the loop's Python int: a float32 sum."""
    t = cuda.grid(1)
    acc = float32(0)
    if t < out.size:
        for c in range(3):
            acc += a[t] * (c + 1)
    out[t] = acc


def nested_ranges(a, out):
    """An inner range bounded by the outer loop's Python int."""
    t = cuda.grid(1)
    acc = float32(0)
    for c in range(3):
        for j in range(c):
            acc += a[t] * j + a[j] * float32(0.1)
    out[t] = acc


def index_after_a_masked_range(a, out):
    """`n` is 0 or 3 depending on the lane, so the loop gives per-lane int64 values; `z`,
    assigned at the top level from the loop's variable, is then an int64 array and the sum a
    float64 one, rounded to float32 only on the store."""
    t = cuda.grid(1)
    n = 0
    if t > 2:
        n = 3
    c = 0
    for c in range(n):  # noqa: B007 - its last value is what is read
        pass
    z = c + 1
    acc = float32(0)
    for j in range(4):
        acc += a[t] * z + a[j] * float32(0.1)
    out[t] = acc


def _arguments(rng):
    return [rng.standard_normal(64).astype(np.float32), np.zeros(64, np.float32)]


@CHECKS
@pytest.mark.parametrize("function", [weights_by_loop_index, nested_ranges])
def test_a_loop_over_python_int_bounds_runs_compiled_in_float32(function, checks):
    error, counts, _ = compare_tiers(cuda.jit(function), 2, 32, _arguments, checks, KernelError)
    assert error is None and counts.get("compiled") == 1


@CHECKS
def test_a_value_computed_from_a_per_lane_loop_variable_keeps_the_vector_engines_bytes(checks):
    error, _, _ = compare_tiers(
        cuda.jit(index_after_a_masked_range), 2, 32, _arguments, checks, KernelError
    )
    assert error is None
