"""Tutorial-style kernels (survey_grids.py, survey_algorithms.py, survey_habits.py) under
both tiers, checks on and off: identical arrays and reports, and the kernels inside the
compiled subset really ran compiled."""

import math

import pytest

from cudalike.simt.compiled import math_calls
from tests.cudalike.compiled import survey_algorithms, survey_grids, survey_habits
from tests.cudalike.compiled.tiers import assert_survey_case

pytestmark = pytest.mark.slow
CASES = survey_grids.CASES + survey_algorithms.CASES + survey_habits.CASES

# Kernels the vector engine runs, and why (none left).
VECTOR_ONLY: dict[str, str] = {}


def _vector_only(name: str) -> str | None:
    """Why the kernel stays on the vector engine on this machine, or None."""
    if name == "math_erf" and not math_calls._numba_agrees(math.erf):
        return "math.erf"  # the vector engine calls Python's, which numba's differs from here
    return VECTOR_ONLY.get(name)


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_survey_kernel_gives_identical_arrays_on_both_tiers(case, checks):
    assert_survey_case(case, checks, _vector_only(case.name))
