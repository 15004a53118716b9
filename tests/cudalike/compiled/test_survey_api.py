"""The numba.cuda device API cudalike supports (survey_api.py, survey_api_numbers.py,
survey_api_cuda.py) under both tiers, checks on and off: identical arrays and reports; each
kernel ran compiled, stayed on the vector engine for the stated reason, or was handed back to
it at run time for the stated cause."""

import numpy as np
import pytest

from cudalike import config, cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled import survey_api, survey_api_cuda, survey_api_numbers
from tests.cudalike.compiled.tiers import assert_survey_case, compare_tiers

pytestmark = pytest.mark.slow

# Kernels the vector engine runs, and why.
VECTOR_ONLY = {
    # Python's own gamma and lgamma differ from the C library's here, and raise at their poles
    "math_gamma": "the function gamma",
}

# Kernels inside the subset whose launch is handed back at run time: a float converted to an
# unsigned type it does not fit (numpy goes through int32; C leaves it undefined), a float
# `//` or `%` by zero (numba raises where numpy gives inf or NaN), and a nanmin meeting +0.0
# and -0.0 (which numpy's fmin keeps depends on the array's length).
HANDED_BACK = {"float_to_unsigned_cast", "float_floor_division_by_zero", "float_nan_atomics"}

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
CASES = [
    pytest.param(case, id=case.name)
    for case in survey_api.CASES + survey_api_numbers.CASES + survey_api_cuda.CASES
]


@CHECKS
@pytest.mark.parametrize("case", CASES)
def test_api_kernel_gives_identical_arrays_on_both_tiers(case, checks):
    if case.name not in HANDED_BACK:
        assert_survey_case(case, checks, VECTOR_ONLY.get(case.name))
        return
    kernel = cuda.jit(case.kernel)
    error, counts, _ = compare_tiers(
        kernel, case.griddim, case.blockdim, case.make_args, checks, KernelError
    )
    assert error is None
    assert counts.get("handed back", 0) == 1, launcher.reasons.get(case.kernel.__name__, "")


def dynamic_shared(a, out):
    tile = cuda.shared.array(0, np.float32)
    tid = cuda.threadIdx.x
    i = cuda.grid(1)
    tile[tid] = a[i] * 2.0
    cuda.syncthreads()
    out[i] = tile[cuda.blockDim.x - 1 - tid] + tile[(tid + 1) % cuda.blockDim.x]


@CHECKS
def test_dynamic_shared_array_runs_compiled(checks):
    kernel = cuda.jit(dynamic_shared)
    results = []
    for tier in ("vector", "compiled"):
        a, out = survey_api.floats(np.random.default_rng(0)), np.zeros(survey_api.N, np.float32)
        before = launcher.outcomes["compiled"]
        with config.override(tier=tier, checks=checks):
            kernel[4, 64, 0, 64 * 4](a, out)
        results.append((out, launcher.outcomes["compiled"] - before))
    (vector, _), (compiled, ran) = results
    assert ran == 1, launcher.reasons.get("dynamic_shared")
    assert vector.tobytes() == compiled.tobytes()
