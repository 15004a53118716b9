"""Random kernels whose threads work together (random_block_kernels.py: shared tiles and
barriers, tree reductions, warp shuffles and votes, while loops, atomics, narrow integers and
casts, 1-D and 2-D launches) give the same bytes and reports on both tiers, checks on and off:
the compiled tier runs them, hands the launch back, or leaves the kernel to the vector engine
with a reason. `python -m tests.cudalike.compiled.random_block_kernels --count 200` runs a
longer campaign."""

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.cudalike.compiled import random_block_kernels

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32 - 1))
def test_random_block_kernel_gives_the_same_bytes_on_both_tiers(seed, checks):
    case = random_block_kernels.case(seed)
    assume(checks or case.bug != "race")  # a race is undefined with checks off, as on a GPU
    difference, outcome, reason, error = random_block_kernels.compare(case, checks)
    assert difference is None, f"{difference}\n{case.source}"
    assert outcome in {"compiled", "handed back", "outside subset"}
    assert (outcome == "outside subset") == reason.startswith("NotCompilable"), reason
    if case.bug is not None and checks:
        assert error is not None and outcome != "compiled"
