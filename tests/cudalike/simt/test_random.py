"""cuda.random: the same numbers as numba's xoroshiro128+ for the same seed, on every lane."""

import numpy as np
from numba.cuda import random as numba_random

from cudalike import cuda
from cudalike.cuda.random import create_xoroshiro128p_states, xoroshiro128p_dtype
from tests.cudalike.simt.files import random_kernels


def test_states_match_numbas_initialisation():
    states = create_xoroshiro128p_states(5, seed=42).copy_to_host()
    expected = np.empty(5, dtype=numba_random.xoroshiro128p_dtype)
    numba_random.init_xoroshiro128p_states_cpu(expected, 42, 0)
    assert states.dtype == xoroshiro128p_dtype
    assert states.tolist() == expected.tolist()


def test_each_lane_draws_numbas_sequence_for_its_state():
    n = 70
    states = create_xoroshiro128p_states(n, seed=7)
    reference = states.copy_to_host()
    uniform32, uniform64, normal32 = (np.zeros(n, np.float32), np.zeros(n), np.zeros(n, np.float32))
    cuda.jit(random_kernels.draw)[3, 32](states, uniform32, uniform64, normal32)
    for i in range(n):
        assert uniform32[i] == numba_random.xoroshiro128p_uniform_float32(reference, i)
        assert uniform64[i] == numba_random.xoroshiro128p_uniform_float64(reference, i)
        np.testing.assert_allclose(
            normal32[i], numba_random.xoroshiro128p_normal_float32(reference, i), rtol=1e-6
        )
    assert states.copy_to_host().tolist() == reference.tolist()  # states advanced alike


def test_monte_carlo_pi_from_a_course_runs_and_estimates_pi():
    threads, iterations = 1024, 200
    states = create_xoroshiro128p_states(threads, seed=1)
    hits = np.zeros(threads, np.int64)
    cuda.jit(random_kernels.monte_carlo_pi)[8, 128](states, iterations, hits)
    estimate = 4 * hits.sum() / (threads * iterations)
    assert abs(estimate - np.pi) < 0.02
