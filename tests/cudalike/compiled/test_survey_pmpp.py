"""A third survey, of kernels from "Programming Massively Parallel Processors", the CUDA
samples and numba's examples (survey_pmpp.py, survey_pmpp_grids.py, survey_pmpp_math.py) and
of their buggy twins (survey_pmpp_bugs.py) under both tiers, checks on and off: identical
arrays and reports, the kernels inside the compiled subset ran compiled, the others stayed on
the vector engine for the stated reason, and a buggy kernel's launch was handed back to the
vector engine, whose report both tiers then give."""

import pytest

from tests.cudalike.compiled import (
    survey_pmpp,
    survey_pmpp_bugs,
    survey_pmpp_grids,
    survey_pmpp_math,
)
from tests.cudalike.compiled.tiers import assert_buggy_case, assert_survey_case

pytestmark = pytest.mark.slow
CORRECT = survey_pmpp.CASES + survey_pmpp_grids.CASES + survey_pmpp_math.CASES

# Kernels the vector engine runs, and why.
VECTOR_ONLY = {
    # `count = 0; count += 1`, then `mean += delta / count` of a float32 `delta`
    "welford_int_count": "a Python number or int64/float64 array meets float32",
}

# Buggy kernels: the start of the report with checks on, and with checks off (None: no
# report, the bug only shows with checks on).
BUGS = {
    "kogge_stone_no_barrier": ("data race", None),
    "max_pool_no_guard": ("out-of-bounds access", "error in kernel"),
    "conv_halo_overflow": ("out-of-bounds access", "error in kernel"),
    "brent_kung_half_loaded": ("read of uninitialized memory", None),
    "divergent_barrier": ("barrier divergence", None),
    "block_sum_no_atomic": ("data race", None),
    "stencil_guard_one_short": ("out-of-bounds access", "error in kernel"),
    # a thread of warp 1 reads the cell a thread of warp 0 wrote the step before
    "wavefront_no_barrier": ("data race", None),
}

# Races are undefined with checks off, as on a GPU: the two tiers may differ there.
RACES = {"kogge_stone_no_barrier", "block_sum_no_atomic", "wavefront_no_barrier"}

# Buggy kernels with no report whose launch is handed back all the same, checks on and off:
# compiled code checks a barrier's agreement and raises on an integer division by zero
# (numpy's gives 0) with checks off too.
HANDED_BACK = {"divergent_barrier", "histogram_zero_width"}

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])


@CHECKS
@pytest.mark.parametrize("case", CORRECT, ids=lambda case: case.name)
def test_pmpp_kernel_gives_identical_arrays_on_both_tiers(case, checks):
    assert_survey_case(case, checks, VECTOR_ONLY.get(case.name))


@CHECKS
@pytest.mark.parametrize("case", survey_pmpp_bugs.CASES, ids=lambda case: case.name)
def test_buggy_pmpp_kernel_gives_identical_reports_on_both_tiers(case, checks):
    assert_buggy_case(case, checks, BUGS, RACES, HANDED_BACK)
