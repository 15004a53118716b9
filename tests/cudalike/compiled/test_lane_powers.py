"""`base ** exponent` where the vector engine certainly holds the exponent as an array, one
number per lane (arithmetic on a thread index, an array element at one): numpy's power loop
whatever the base, with no fast path for exponents such as 2.0 or 0.5, so compiled code calls
that loop. An exponent that may be one number for every lane stays on the vector engine.

numpy's power loop itself answers an exponent of -1, 0.5 or 2 (on AVX-512 machines) one way
when the exponent is an array and another when it is one number broadcast over the lanes, so
compiled code calls it as the vector engine holds the exponent (`math.pow(x[i], e[i])` gave
other bits before), or both ways, handing the launch back where they differ."""

import math

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.survey_ml import rotary_embedding
from tests.cudalike.compiled.tiers import compare_tiers, how_it_ran

pytestmark = pytest.mark.slow


def fast_path_exponents(x, out):
    i = cuda.grid(1)
    if i < x.size:
        # -1, -0.5, 0, 0.5, 1 and 1.5: numpy's reciprocal, sqrt, ... for one such exponent
        out[i] = x[i] ** ((cuda.threadIdx.x % 6) * 0.5 - 1.0)


def element_exponents(x, e, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = 1.5 ** e[i] + x[i] ** e[i]


def pow_of_elements(x, e, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = math.pow(x[i], e[i])


def pow_of_a_literal(x, out):
    i = cuda.grid(1)
    if i < x.shape[0]:
        acc = 0.0
        for k in range(x.shape[1]):
            acc += math.pow(x[i, k], 0.5) + math.pow(x[i, k], 2.0) + math.pow(x[i, k], -1.0)
        out[i] = acc


def pow_of_one_element(x, e, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = math.pow(x[i], e[0])  # one number for every lane, or not: checked both ways


def uniform_exponent(x, p, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = x[i] ** p


def _rope(rng):
    q = rng.standard_normal((50, 32)).astype(np.float32)
    return [q, np.arange(50, dtype=np.float32), np.zeros((50, 32), np.float32)]


def _bases(rng):
    x = np.concatenate([[0.0, -0.0, -2.0, np.inf, np.nan], rng.random(95) * 3]).astype(np.float32)
    return [x, np.zeros(100, np.float64)]


def _elements(rng):
    x = rng.random(100).astype(np.float32)
    return [x, (rng.standard_normal(100) * 3).astype(np.float32), np.zeros(100, np.float32)]


def _special_exponents(rng):
    x = rng.uniform(0.1, 10, 1000)
    return [x, rng.choice([-1.0, 0.5, 2.0, 1.7], 1000), np.zeros(1000)]


def _literal_exponents(rng):
    return [rng.uniform(0.1, 10, (100, 9)), np.zeros(100)]


CASES = [
    (rotary_embedding, (4, 1), (16, 16), _rope),
    (pow_of_elements, 8, 128, _special_exponents),
    (pow_of_a_literal, 4, 32, _literal_exponents),
    (fast_path_exponents, 4, 32, _bases),
    (element_exponents, 4, 32, _elements),
]


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize(
    "function, grid, block, make", CASES, ids=lambda v: getattr(v, "__name__", "")
)
def test_an_exponent_held_per_lane_runs_numpys_power_loop_compiled(
    function, grid, block, make, checks
):
    error, counts, _ = compare_tiers(cuda.jit(function), grid, block, make, checks, KernelError)
    assert error is None
    assert how_it_ran(counts) == "compiled", launcher.reasons.get(function.__name__)


def test_an_exponent_that_may_be_one_number_stays_on_the_vector_engine():
    def make(rng):
        return [rng.random(100).astype(np.float32), np.float32(0.5), np.zeros(100, np.float32)]

    error, counts, _ = compare_tiers(cuda.jit(uniform_exponent), 4, 32, make, True, KernelError)
    assert error is None
    assert how_it_ran(counts) == "vector"
    assert "known only at run time" in launcher.reasons["uniform_exponent"]


@pytest.mark.parametrize("exponent", [0.5, 1.7])
def test_an_exponent_held_either_way_is_computed_both_ways(exponent):
    """Both answers agree (1.7), or the launch goes back to the vector engine (0.5 on an
    AVX-512 machine); either way the arrays are the vector engine's."""

    def make(rng):
        return [rng.uniform(0.1, 10, 1000), np.array([exponent]), np.zeros(1000)]

    error, counts, _ = compare_tiers(cuda.jit(pow_of_one_element), 8, 128, make, True, KernelError)
    assert error is None
    assert how_it_ran(counts) == "compiled" if exponent == 1.7 else how_it_ran(counts) != "vector"
