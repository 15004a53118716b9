"""math.erf and math.erfc, which the vector engine computes with Python's own functions lane by
lane, run compiled with numba's where the two give the same bits (checked on samples), and
give the vector engine's arrays bit for bit; math.gamma and lgamma stay on the vector engine."""

import math

import numpy as np
import pytest
from numba import float32

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher, math_calls
from tests.cudalike.compiled.tiers import compare_tiers

pytestmark = pytest.mark.slow


def erf_both(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i, 0] = math.erf(x[i])
        out[i, 1] = math.erfc(x[i])


def gelu(x, out):
    # the erf form of GELU, as transformer tutorials write it
    i = cuda.grid(1)
    if i < x.size:
        v = x[i]
        out[i] = float32(0.5) * v * (float32(1) + math.erf(v / math.sqrt(2.0)))


def erf_of_integers(n, out, scale):
    i = cuda.grid(1)
    if i < n.size:
        out[i] = math.erf(n[i] - 3) + math.erfc(scale)


def gamma_of(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = math.gamma(x[i])


def _values(rng, dtype, n=300):
    special = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-30, -6.5, 6.5, 0.5]
    return np.concatenate([special, rng.uniform(-8, 8, n - len(special))]).astype(dtype)


CASES = {
    "erf float32": (
        erf_both,
        lambda rng: [_values(rng, np.float32), np.zeros((300, 2), np.float32)],
    ),
    "erf float64": (
        erf_both,
        lambda rng: [_values(rng, np.float64), np.zeros((300, 2), np.float64)],
    ),
    "gelu": (gelu, lambda rng: [_values(rng, np.float32), np.zeros(300, np.float32)]),
    "integers": (
        erf_of_integers,
        lambda rng: [rng.integers(-5, 9, 300).astype(np.int32), np.zeros(300), 0.25],
    ),
}


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
@pytest.mark.parametrize("case", list(CASES))
def test_erf_matches_the_vector_engine(case, checks):
    function, make = CASES[case]
    kernel = cuda.jit(function)
    error, counts, _ = compare_tiers(kernel, 5, 64, make, checks, KernelError)
    assert error is None
    if math_calls._numba_agrees(math.erf) and math_calls._numba_agrees(math.erfc):
        assert counts.get("compiled") == 1, launcher.reasons.get(function.__name__)
    else:
        assert "differs from Python's" in launcher.reasons[function.__name__]


def test_gamma_stays_on_the_vector_engine():
    kernel = cuda.jit(gamma_of)

    def make(rng):
        return [rng.uniform(0.5, 5, 100).astype(np.float32), np.zeros(100, np.float32)]

    _, counts, _ = compare_tiers(kernel, 2, 64, make, False, KernelError)
    assert counts.get("compiled", 0) == 0
    assert "gamma" in launcher.reasons["gamma_of"]
