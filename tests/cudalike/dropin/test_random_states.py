"""Generator states made by cudalike's compiled initialiser match numba's exactly, and fast.

Under numba's simulator settings (NUMBA_ENABLE_CUDASIM=1) numba's own initialiser cannot run,
so cudalike compiles the same jump-ahead loop for the CPU; a million states (numba-cuda's
Monte Carlo documentation example) then take about a second instead of minutes.
"""

from __future__ import annotations

import numpy as np
import pytest

from cudalike.cuda import random


@pytest.mark.parametrize(
    ("n", "seed", "subsequence_start"), [(10, 1, 0), (5, 12345, 3), (300, 7, 0)]
)
def test_the_compiled_initialiser_gives_numbas_states(n, seed, subsequence_start) -> None:
    from numba.cuda.random import init_xoroshiro128p_states_cpu

    expected = np.empty(n, random.xoroshiro128p_dtype)
    init_xoroshiro128p_states_cpu(expected, seed, subsequence_start)
    ours = np.empty(n, random.xoroshiro128p_dtype)
    random._init_compiled(ours, seed, subsequence_start)
    np.testing.assert_array_equal(ours, expected)
