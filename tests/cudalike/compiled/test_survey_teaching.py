"""A fourth survey, of kernels as teaching material writes them (survey_teaching.py) and of
the idioms a course's exercises use (survey_idioms.py), under both tiers, checks on and off:
identical arrays, the kernels inside the compiled subset ran compiled, and the others stayed
on the vector engine for the stated reason or were handed back to it."""

import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled import survey_idioms, survey_teaching
from tests.cudalike.compiled.tiers import assert_survey_case, compare_tiers

pytestmark = pytest.mark.slow
CORRECT = survey_teaching.CASES + survey_idioms.CASES

# Kernels the vector engine runs, and why.
VECTOR_ONLY = {
    "mandelbrot_complex": "the built-in complex()",
}

# Kernels whose launch is handed back with checks on: the last block reads the partial sums
# other blocks published with a fence and an atomic, an exemption the vector engine's race
# check makes and compiled code's does not.
HANDED_BACK_WITH_CHECKS = {"last_block_sum"}

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])


@CHECKS
@pytest.mark.parametrize("case", CORRECT, ids=lambda case: case.name)
def test_teaching_kernel_gives_identical_arrays_on_both_tiers(case, checks):
    if checks and case.name in HANDED_BACK_WITH_CHECKS:
        kernel = cuda.jit(case.kernel)
        error, counts, _ = compare_tiers(
            kernel, case.griddim, case.blockdim, case.make_args, checks, KernelError
        )
        assert error is None
        assert counts.get("handed back", 0) == 1, launcher.reasons.get(case.kernel.__name__)
        return
    assert_survey_case(case, checks, VECTOR_ONLY.get(case.name))
