"""The compiled tier against the vector engine: same outputs bit for bit, same reports.

Every correct kernel of the SIMT test library runs under both tiers from the same inputs; the
arrays after the launch must be identical (NaNs included) and neither may report anything.
Kernels inside the compiled subset must really have run compiled.
"""

import math

import numpy as np
import pytest

from cudalike import config, cuda
from cudalike.simt.compiled import launcher, math_calls
from tests.cudalike.simt import correct_cases, kernels

# Cases whose kernels are outside the compiled subset (Dim3 values; math.erf where numba's
# differs from Python's).
VECTOR_ONLY = {"dim3_as_value"}


def _vector_only(case_id: str) -> bool:
    if case_id == "math_functions":
        return not math_calls._numba_agrees(math.erf)
    return case_id in VECTOR_ONLY


def _launch(case, tier: str, checks: bool = True):
    args = case.make_args(np.random.default_rng(7))
    kernel = kernels.jit(case.file, case.kernel)
    before = launcher.outcomes["compiled"]
    with config.override(tier=tier, checks=checks):
        kernel[case.griddim, case.blockdim, 0, case.sharedmem](*args)
    return args, launcher.outcomes["compiled"] - before


def _same(left, right) -> bool:
    if isinstance(left, np.ndarray):
        return left.dtype == right.dtype and np.array_equal(
            left, right, equal_nan=left.dtype.kind in "fc"
        )
    return True


@pytest.mark.slow
@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
@pytest.mark.parametrize("case", correct_cases.CASES, ids=lambda case: case.id)
def test_correct_kernels_give_identical_arrays(case, checks):
    vector, _ = _launch(case, "vector", checks)
    compiled, compiled_runs = _launch(case, "compiled", checks)
    assert all(_same(v, c) for v, c in zip(vector, compiled, strict=True))
    assert compiled_runs == (0 if _vector_only(case.id) else 1)
    case.check(compiled)


def scale_chosen_in_a_branch(a, out):
    # `scale` is a Python float or, once merged under a partial mask, a float64 array: the
    # product is float32 or float64 depending on the run, so the compiled tier leaves it alone.
    i = cuda.grid(1)
    if i < out.size:
        scale = 1.0
        if a[i] > 0:
            scale = 0.1
        out[i] = a[i] * scale


def test_python_number_merged_under_a_mask_keeps_the_vector_engines_precision():
    kernel = cuda.jit(scale_chosen_in_a_branch)
    a = np.linspace(-1, 1, 300, dtype=np.float32)
    results = []
    for tier in ("vector", "compiled"):
        out = np.zeros(300, np.float32)
        with config.override(tier=tier):
            kernel[3, 128](a, out)
        results.append(out)
    assert np.array_equal(results[0], results[1])
    assert "meets float32" in launcher.reasons["scale_chosen_in_a_branch"]
