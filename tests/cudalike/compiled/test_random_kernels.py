"""Random kernels mixing Python numbers, float32 and int32 values under masks and loops
(random_kernels.py) give the same bytes and reports on both tiers, checks on and off: the
compiled tier computes what the vector engine does, hands the launch back, or leaves the
kernel to the vector engine. `python -m tests.cudalike.compiled.random_kernels --count 300`
runs a longer campaign."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cudalike import cuda
from cudalike.errors import KernelError
from tests.cudalike.compiled import random_kernels
from tests.cudalike.compiled.tiers import compare_tiers

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32 - 1))
def test_random_kernel_gives_the_same_bytes_on_both_tiers(seed, checks):
    source = random_kernels.kernel_source(random.Random(seed))
    kernel = cuda.jit(random_kernels.make_kernel(source))
    compare_tiers(kernel, 2, 32, lambda rng: random_kernels.arguments(seed), checks, KernelError)
