"""A fifth survey, of kernels as machine-learning code writes them (survey_ml.py), under both
tiers, checks on and off: identical arrays, the kernels inside the compiled subset ran
compiled, and the others stayed on the vector engine for the stated reason."""

import pytest

from tests.cudalike.compiled import survey_ml
from tests.cudalike.compiled.tiers import assert_survey_case

pytestmark = pytest.mark.slow

# Kernels the vector engine runs, and why.
VECTOR_ONLY = {
    # `running_max - new_max` inside `running_sum * math.exp(...)`: both may still hold the
    # Python floats they started as in the first iteration
    "online_softmax_rows": "two values that may still be the Python numbers",
    # `p - (1.0 if j == label else 0.0)`: a Python float on some chunks, a float64 array on
    # others, so float32 or float64 arithmetic
    "cross_entropy_grad": "a Python number or int64/float64 array meets float32",
    # `10000.0 ** (-2.0 * pair / d)`: numpy's scalar power, its power loop or a fast path
    # (square, sqrt, reciprocal) depending on how the vector engine holds the exponent
    "rotary_embedding": "** of a numpy float to a value known only at run time",
}

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])


@CHECKS
@pytest.mark.parametrize("case", survey_ml.CASES, ids=lambda case: case.name)
def test_ml_kernel_gives_identical_arrays_on_both_tiers(case, checks):
    assert_survey_case(case, checks, VECTOR_ONLY.get(case.name))
