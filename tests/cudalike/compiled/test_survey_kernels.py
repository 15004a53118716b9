"""Tutorial-style kernels (survey_kernels.py) under both tiers, checks on and off: identical
arrays and reports, and the kernels inside the compiled subset really ran compiled."""

import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.survey_kernels import CASES
from tests.cudalike.compiled.tiers import compare_tiers

pytestmark = pytest.mark.slow

# Kernels the vector engine runs, and why.
VECTOR_ONLY = {
    # `count` is a Python int or, merged under the loop's mask, an int64 array, so the
    # division is computed in float32 or in float64 depending on the run
    "box_blur_float32": "meets float32",
    "mean_of_positives": "meets float32",
    # a compare-and-swap in a retry loop: the order of the lanes' attempts matters
    "cas_tickets": "whose order matters",
    # the vector engine calls Python's math.erf for each lane
    "math_erf": "erf",
}


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_survey_kernel_gives_identical_arrays_on_both_tiers(case, checks):
    kernel = cuda.jit(case.kernel)
    error, counts, _ = compare_tiers(
        kernel, case.griddim, case.blockdim, case.make_args, checks, KernelError
    )
    assert error is None
    reason = launcher.reasons.get(case.kernel.__name__, "")
    if case.name in VECTOR_ONLY:
        assert counts.get("compiled", 0) == 0
        assert VECTOR_ONLY[case.name] in reason
    else:
        assert counts.get("compiled", 0) == 1, reason
