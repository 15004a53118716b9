"""A fourth survey, of application kernels from the Rodinia benchmarks and the CUDA samples
(survey_apps.py, survey_apps_solvers.py, survey_apps_physics.py, survey_apps_samples.py) and
of their buggy twins (survey_apps_bugs.py) under both tiers, checks on and off: identical
arrays and reports, the kernels inside the compiled subset ran compiled, the others stayed on
the vector engine for the stated reason, and a buggy kernel's launch was handed back to the
vector engine, whose report both tiers then give."""

import pytest

from tests.cudalike.compiled import (
    survey_apps,
    survey_apps_bugs,
    survey_apps_physics,
    survey_apps_samples,
    survey_apps_solvers,
)
from tests.cudalike.compiled.tiers import assert_buggy_case, assert_survey_case

pytestmark = pytest.mark.slow
CORRECT = (
    survey_apps.CASES
    + survey_apps_solvers.CASES
    + survey_apps_physics.CASES
    + survey_apps_samples.CASES
)

# Kernels the vector engine runs, and why.
VECTOR_ONLY = {
    # `grid = cuda.cg.this_grid()`: compiled code runs blocks one after another
    "grid_sync_sum": "a grid-wide barrier",
}

# Buggy kernels: the start of the report with checks on, and with checks off (None: no
# report, the bug only shows with checks on).
BUGS = {
    "pathfinder_missing_barrier": ("data race", None),
    "hotspot_halo_off_by_one": ("out-of-bounds access", "error in kernel"),
    "heat_tile_too_small": ("out-of-bounds access", "error in kernel"),
    "sobel_no_clamp": ("out-of-bounds access", "error in kernel"),
    "bpnn_reduction_no_barrier": ("data race", None),
    "gaussian_fan2_off_by_one": ("out-of-bounds access", "error in kernel"),
    # index -1 wraps with checks off, as numba's does
    "cfd_unchecked_neighbour": ("out-of-bounds access", None),
}

# Races are undefined with checks off, as on a GPU: the two tiers may differ there.
RACES = {"pathfinder_missing_barrier", "bpnn_reduction_no_barrier"}

# Buggy kernels with no report whose launch is handed back all the same, checks on and off:
# compiled code hands a negative index to the vector engine, which wraps it.
HANDED_BACK = {"cfd_unchecked_neighbour"}

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])


@CHECKS
@pytest.mark.parametrize("case", CORRECT, ids=lambda case: case.name)
def test_app_kernel_gives_identical_arrays_on_both_tiers(case, checks):
    assert_survey_case(case, checks, VECTOR_ONLY.get(case.name))


@CHECKS
@pytest.mark.parametrize("case", survey_apps_bugs.CASES, ids=lambda case: case.name)
def test_buggy_app_kernel_gives_identical_reports_on_both_tiers(case, checks):
    assert_buggy_case(case, checks, BUGS, RACES, HANDED_BACK)
