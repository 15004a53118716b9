"""A tuple assignment into array elements (`x[i], x[j] = x[j], x[i]`) runs compiled: every
value is read before any element is written, as in Python, with the vector engine's reports."""

import numpy as np
import pytest

from cudalike import cuda
from tests.cudalike.compiled.tiers import ran_compiled

pytestmark = pytest.mark.slow


def bitonic_step(x, j, k):
    i = cuda.grid(1)
    partner = i ^ j
    if partner > i and i < x.size:
        if (i & k) == 0:
            if x[i] > x[partner]:
                x[i], x[partner] = x[partner], x[i]
        elif x[i] < x[partner]:
            x[i], x[partner] = x[partner], x[i]


def _bitonic_sort(values: np.ndarray, tier: str, checks: bool) -> tuple[np.ndarray, int]:
    x = values.copy()
    compiled = 0
    k = 2
    while k <= x.size:
        j = k // 2
        while j > 0:
            compiled += ran_compiled(bitonic_step, x.size // 128, 128, [x, j, k], tier, checks)
            j //= 2
        k *= 2
    return x, compiled


@pytest.mark.parametrize("checks", [True, False])
def test_bitonic_sort_swaps_through_a_tuple_assignment(checks):
    values = np.random.default_rng(4).random(512).astype(np.float32)
    vector, _ = _bitonic_sort(values, "vector", checks)
    compiled, launches = _bitonic_sort(values, "compiled", checks)
    assert launches == 45  # every step ran compiled
    assert np.array_equal(compiled, vector) and np.array_equal(vector, np.sort(values))


def swap_neighbours(x):
    i = cuda.grid(1)
    if i + 1 < x.size:
        x[i], x[i + 1] = x[i + 1], x[i] + 1


def test_a_race_in_a_tuple_assignment_is_reported_as_the_vector_engine_reports_it():
    reports = {}
    for tier in ("vector", "compiled"):
        x = np.arange(64, dtype=np.int32)
        with pytest.raises(Exception) as caught:
            ran_compiled(swap_neighbours, 1, 64, [x], tier, True)
        reports[tier] = (type(caught.value), str(caught.value))
        assert list(x) == list(range(64))  # nothing written: the launch was undone
    assert reports["compiled"] == reports["vector"]
    assert "race" in reports["vector"][1].lower()
