"""A math function, a cast, `min`, `max` or `abs` of a value the vector engine holds per lane is
per lane too: n-body's `r = math.sqrt(dx * dx + ...)` then `r ** 3` takes numpy's power loop
on both tiers, one thread or many, and runs compiled. The same power of a value that may be one
numpy number (the square root of a scalar argument) keeps the kernel on the vector engine,
whose scalar power differs from the loop."""

import math

import numpy as np
import pytest
from numba import float32

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])


def cubes_of_roots(a, soft, out):
    i = cuda.grid(1)
    if i < a.size:
        r = math.sqrt(a[i] * a[i] + soft)
        out[i, 0] = float32(1.0) / r**3
        out[i, 1] = float32(abs(a[i])) ** 3
        out[i, 2] = max(a[i], float32(0.5)) ** 3
        out[i, 3] = math.exp(a[i]) ** 3


def cube_of_a_scalar_root(a, soft, out):
    i = cuda.grid(1)
    if i < a.size:
        r = math.sqrt(soft)
        out[i, 0] = a[i] * r**3


def _arguments(n: int):
    def make(rng):
        a = (rng.standard_normal(n) * 3).astype(np.float32)
        # the first two cube (after the root) to other float32s in numpy's loop and scalar power
        a[: min(n, 4)] = [-0.3963146, 1.6225368, 0.0, -0.0][: min(n, 4)]
        return [a, np.float32(1e-3), np.zeros((n, 4), np.float32)]

    return make


@CHECKS
@pytest.mark.parametrize("grid, block", [(1, 1), (1, 3), (4, 64)], ids=["one", "three", "many"])
def test_powers_of_per_lane_calls_run_compiled(grid, block, checks):
    make = _arguments(grid * block)
    error, runs, _ = compare_tiers(cuda.jit(cubes_of_roots), grid, block, make, checks, KernelError)
    assert error is None and runs.get("compiled") == 1, launcher.reasons.get("cubes_of_roots")


def test_a_power_of_a_root_of_a_scalar_stays_on_the_vector_engine():
    kernel = cuda.jit(cube_of_a_scalar_root)
    error, runs, _ = compare_tiers(kernel, 1, 32, _arguments(32), True, KernelError)
    assert error is None and runs.get("compiled", 0) == 0
    assert "scalar power differs" in launcher.reasons["cube_of_a_scalar_root"]
