"""The same kernel source on numba's CUDA simulator and on cudalike gives the same results.

The simulator runs in a child process (NUMBA_ENABLE_CUDASIM must be set before numba is first
imported); all cases go to one child, tiny sizes, since it starts an OS thread per CUDA thread.
Cases needing shuffles, votes, lane masks or syncwarp are left out: the simulator lacks them.
"""

import numpy as np
import pytest
from numpy.testing import assert_array_equal, assert_array_max_ulp

from . import kernels
from .test_correct_kernels import ALL_CASES, launch

pytestmark = pytest.mark.slow  # the child process takes about 10 s

SIMULATED = [case for case in ALL_CASES if case.simulator]
# Atomics from many threads resolve in an order numba's simulator does not fix: compare these
# through their oracle only, not element by element.
ORDER_DEPENDENT = {"atomic_add_unique_slots", "atomics_all_kinds"}
# The simulator calls Python's math (the C library); numpy's vectorised exp/sin may differ in
# the last bit, as a GPU's libdevice does: agree within a few units in the last place.
LAST_BIT = {"math_functions"}


@pytest.fixture(scope="module")
def simulator_results():
    reason = kernels.simulator_available()
    if reason:
        pytest.skip(reason)
    jobs = [
        kernels.Job(
            case.file,
            case.kernel,
            case.griddim,
            case.blockdim,
            case.make_args(np.random.default_rng(0)),
            case.sharedmem,
        )
        for case in SIMULATED
    ]
    return dict(
        zip(
            [case.id for case in SIMULATED],
            kernels.run_on_simulator(jobs, timeout=600),
            strict=True,
        )
    )


@pytest.mark.parametrize("case", SIMULATED, ids=[case.id for case in SIMULATED])
def test_same_result_as_numba_simulator(case, simulator_results):
    simulated = simulator_results[case.id]
    assert simulated.error is None, f"numba's simulator failed: {simulated.error}"
    case.check(simulated.args)  # the kernel and its oracle agree on the simulator too
    ours = launch(case, seed=0)
    if case.id in ORDER_DEPENDENT:
        case.check(ours)
        return
    for index, (theirs, mine) in enumerate(zip(simulated.args, ours, strict=True)):
        if isinstance(theirs, np.ndarray):
            assert mine.dtype == theirs.dtype, f"argument {index}"
            if case.id in LAST_BIT:
                assert_array_max_ulp(mine, theirs, maxulp=2)
            else:
                assert_array_equal(mine, theirs, err_msg=f"argument {index}")
