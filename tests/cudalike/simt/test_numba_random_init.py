"""Generator states made without numba's compiled initialiser match numba's exactly."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike.cuda import random


@pytest.mark.parametrize(("n", "seed", "subsequence_start"), [(10, 1, 0), (5, 12345, 3)])
def test_the_python_initialiser_gives_numbas_states(n, seed, subsequence_start) -> None:
    from numba.cuda.random import init_xoroshiro128p_states_cpu

    expected = np.empty(n, random.xoroshiro128p_dtype)
    init_xoroshiro128p_states_cpu(expected, seed, subsequence_start)
    ours = np.empty(n, random.xoroshiro128p_dtype)
    random._init_in_python(ours, seed, subsequence_start)
    np.testing.assert_array_equal(ours, expected)
