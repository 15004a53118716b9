"""A seventh survey, of kernels from graph, hashing, imaging and simulation codes
(survey_science.py), under both tiers, checks on and off: identical arrays, the kernels inside
the compiled subset ran compiled, and the others stayed on the vector engine for the stated
reason."""

import pytest

from tests.cudalike.compiled import survey_science
from tests.cudalike.compiled.tiers import assert_survey_case

pytestmark = pytest.mark.slow

# Kernels the vector engine runs, and why.
VECTOR_ONLY: dict[str, str] = {}

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])


@CHECKS
@pytest.mark.parametrize("case", survey_science.CASES, ids=lambda case: case.name)
def test_science_kernel_gives_identical_arrays_on_both_tiers(case, checks):
    assert_survey_case(case, checks, VECTOR_ONLY.get(case.name))
