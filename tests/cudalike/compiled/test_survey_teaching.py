"""A fourth survey, of kernels as teaching material writes them (survey_teaching.py) and of
the idioms a course's exercises use (survey_idioms.py), under both tiers, checks on and off:
identical arrays, and every kernel ran compiled (VECTOR_ONLY lists any that stay on the vector
engine, with the reason)."""

import pytest

from tests.cudalike.compiled import survey_idioms, survey_teaching
from tests.cudalike.compiled.tiers import assert_survey_case

pytestmark = pytest.mark.slow
CORRECT = survey_teaching.CASES + survey_idioms.CASES

# Kernels the vector engine runs, and why.
VECTOR_ONLY: dict[str, str] = {}

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])


@CHECKS
@pytest.mark.parametrize("case", CORRECT, ids=lambda case: case.name)
def test_teaching_kernel_gives_identical_arrays_on_both_tiers(case, checks):
    assert_survey_case(case, checks, VECTOR_ONLY.get(case.name))
