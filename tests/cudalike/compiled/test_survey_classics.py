"""A second survey of tutorial, book and blog kernels (survey_classics.py, survey_rows.py,
survey_control.py) and of buggy variants learners write (survey_bugs.py) under both tiers,
checks on and off: identical arrays and reports, the kernels inside the compiled subset ran
compiled, the others stayed on the vector engine for the stated reason, and a buggy kernel's
launch was handed back to the vector engine, whose report both tiers then give."""

import pytest

from tests.cudalike.compiled import survey_bugs, survey_classics, survey_control, survey_rows
from tests.cudalike.compiled.tiers import assert_buggy_case, assert_survey_case

pytestmark = pytest.mark.slow
CORRECT = survey_classics.CASES + survey_rows.CASES + survey_control.CASES

# Kernels the vector engine runs, and why (none left).
VECTOR_ONLY: dict[str, str] = {}

# Buggy kernels: the start of the report with checks on, and with checks off (None: no
# report, the bug only shows with checks on).
BUGS = {
    "off_by_one_guard": ("out-of-bounds access", "error in kernel"),
    "missing_guard": ("out-of-bounds access", "error in kernel"),
    "swapped_2d_guard": ("out-of-bounds access", "error in kernel"),
    "shared_out_of_bounds": ("out-of-bounds access", "error in kernel"),
    # with checks off a[-1] reads the last element, as in numpy
    "left_neighbour_minus_one": ("out-of-bounds access", None),
    "reverse_missing_sync": ("data race", None),
    "blelloch_missing_sync": ("data race", None),
    "histogram_no_atomic": ("data race", None),
    "uninitialised_shared": ("read of uninitialized memory", None),
}

# Races are undefined with checks off, as on a GPU: the two tiers may differ there.
RACES = {"reverse_missing_sync", "blelloch_missing_sync", "histogram_no_atomic"}

# Buggy kernels with no report whose launch is handed back all the same: an integer division
# by zero raises in compiled code, where numpy's division gives 0 and the vector engine goes
# on; a negative index fails compiled code's bounds check, where numpy wraps it.
HANDED_BACK = {"int_division_by_zero", "left_neighbour_minus_one"}

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])


@CHECKS
@pytest.mark.parametrize("case", CORRECT, ids=lambda case: case.name)
def test_classic_kernel_gives_identical_arrays_on_both_tiers(case, checks):
    assert_survey_case(case, checks, VECTOR_ONLY.get(case.name))


@CHECKS
@pytest.mark.parametrize("case", survey_bugs.CASES, ids=lambda case: case.name)
def test_buggy_kernel_gives_identical_reports_on_both_tiers(case, checks):
    assert_buggy_case(case, checks, BUGS, RACES, HANDED_BACK)
