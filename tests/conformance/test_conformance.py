"""numba-cuda's own kernel tests under cudalike: the pass count may only go up.

Runs every counted module of numba-cuda's `tests/cudapy` and `tests/doc_examples` in one
child process with numba.cuda resolved to cudalike (drop-in mode) and checks the number of
passing tests against the ratchet below. Raise the ratchet when a change makes more tests
pass; never lower it.
`python -m tests.conformance` prints the per-module table against numba's simulator.
"""

from __future__ import annotations

import time

import pytest

from tests.conformance import harness
from tests.conformance.child import DOC_PREFIX, cudapy_folder, doc_examples_folder
from tests.conformance.exclusions import (
    EXCLUDED,
    GENERATED_CODE,
    INTERNALS,
    LINKING,
    RAW_POINTERS,
    module_of,
)

# Tests of numba-cuda 0.30.4's cudapy folder (565; 570 pass under the simulator) and of its
# documentation examples (11; 1 under the simulator) that pass under cudalike, the same on two
# runs. Measured with `python -m tests.conformance --mode cudalike`. test_print runs its
# scripts in a new Python, which gets drop-in mode too (child.py), so the count is exact.
CUDALIKE_PASSES_AT_LEAST = 576


def test_every_exclusion_has_a_reason_and_names_a_real_test() -> None:
    present = {path.stem for path in cudapy_folder().glob("test_*.py")}
    present |= {DOC_PREFIX + path.stem for path in doc_examples_folder().glob("test_*.py")}
    for name, reason in EXCLUDED.items():
        assert reason.strip(), f"{name} is excluded without a reason"
        assert module_of(name) in present, f"{name} is not a numba-cuda test module"
        assert reason.startswith((INTERNALS, GENERATED_CODE, LINKING, RAW_POINTERS)), (
            f"{name}: only internals, generated-code inspection, linking and raw device "
            "addresses may be excluded"
        )


def test_the_documentation_examples_are_run_too() -> None:
    names = harness.modules()
    assert "doc_examples.test_vecadd" in names and "test_atomics" in names
    assert "doc_examples.test_ffi" not in names
    assert module_of("doc_examples.test_vecadd.TestVecAdd.test_ex_vecadd") == (
        "doc_examples.test_vecadd"
    )


@pytest.mark.slow
def test_cudalike_passes_at_least_the_ratchet() -> None:
    start = time.perf_counter()
    run = harness.run("cudalike")
    passed = len(run.passed())
    print(f"cudalike passes {passed} numba-cuda tests in {time.perf_counter() - start:.0f} s")
    assert passed >= CUDALIKE_PASSES_AT_LEAST, (
        f"{passed} numba-cuda tests pass under cudalike, fewer than the "
        f"{CUDALIKE_PASSES_AT_LEAST} before; `python -m tests.conformance --gaps` lists them"
    )
