"""numba-cuda's kernel tests give the same outcome, test by test, under the compiled tier as under
the vector tier: the same passes, and the same failures with the same first line of why.

Only the modules in MODULES run: those with a launch that ran compiled or was handed back in the
full suite under the compiled tier (`python -m tests.conformance --mode cudalike --tier compiled`
prints the count per module; 25 of the suite's modules). The other modules launch only kernels
outside the compiled subset, which run on the vector engine under either tier, so running them
twice would compare the vector engine with itself. Under the compiled tier numba compiles every
kernel inside the subset (a second or more each), so the compiled run of these modules costs
several times the vector run; the two runs go side by side, sharing one disk cache in the
test's temporary folder (CUDALIKE_CACHE_DIR).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conformance import harness
from tests.conformance.exclusions import module_of

MODULES = (
    "doc_examples.test_matmul",
    "test_array",
    "test_atomics",
    "test_boolean",
    "test_casting",
    "test_cuda_jit_no_types",
    "test_device_func",
    "test_dispatcher",
    "test_enums",
    "test_exception",
    "test_forall",
    "test_freevar",
    "test_globals",
    "test_idiv",
    "test_intrinsics",
    "test_math",
    "test_matmul",
    "test_nondet",
    "test_py2_div_issue",
    "test_retrieve_autoconverted_arrays",
    "test_sm",
    "test_sm_creation",
    "test_ssa",
    "test_sync",
    "test_warp_ops",
)
# Tests whose outcome differs between the tiers, each with the reason; the test fails when one
# of them agrees again, so the set only shrinks. None is known.
EXPECTED_DIVERGENT: dict[str, str] = {}
# Launches of MODULES that ran compiled under tier="compiled": 221 when this was written. The
# floor catches a compiled tier that quietly hands every launch to the vector engine.
COMPILED_AT_LEAST = 200


def test_the_compared_modules_are_numba_cuda_test_modules() -> None:
    assert set(MODULES) <= set(harness.modules())
    assert all(module_of(test) in MODULES for test in EXPECTED_DIVERGENT)


@pytest.mark.slow
def test_numba_cuda_tests_have_the_same_outcomes_under_both_tiers(tmp_path) -> None:
    with ThreadPoolExecutor(2) as pool:
        runs = {
            tier: pool.submit(harness.run, "cudalike", list(MODULES), tier=tier, cache_dir=tmp_path)
            for tier in ("vector", "compiled")
        }
        vector, compiled = runs["vector"].result(), runs["compiled"].result()
    assert set(vector.outcomes) == set(compiled.outcomes)
    differ = {test for test, result in vector.outcomes.items() if compiled.outcomes[test] != result}
    assert differ == set(EXPECTED_DIVERGENT), {
        test: (vector.outcomes[test], compiled.outcomes[test])
        for test in differ ^ set(EXPECTED_DIVERGENT)
    }
    assert vector.launch_totals()["compiled"] == 0
    compiled_launches = compiled.launch_totals()["compiled"]
    print(f"{compiled_launches} launches ran compiled: {dict(compiled.launch_totals())}")
    assert compiled_launches >= COMPILED_AT_LEAST, dict(compiled.launch_totals())
