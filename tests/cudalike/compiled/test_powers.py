"""The `**` operator with a number written in the kernel as exponent runs compiled with
numpy's results: integer powers wrap in the base's type, squares are products, and other
float powers call numpy's power loop where numpy's scalar power gives the loop's bits."""

import numpy as np
import pytest
from numba import float32

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher, math_calls
from tests.cudalike.compiled.tiers import compare_tiers

pytestmark = pytest.mark.slow


def integer_powers(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[0, i] = a[i] ** 2
        out[1, i] = a[i] ** 3
        out[2, i] = a[i] ** 5
        out[3, i] = a[i] ** 8
        out[4, i] = a[i] ** 0
        out[5, i] = a[i] ** 1
        out[6, i] = (a[i] + 1) ** 7


def float_powers(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[0, i] = x[i] ** 2
        out[1, i] = x[i] ** 2.0
        out[2, i] = x[i] ** 0
        out[3, i] = x[i] ** 1.0


def lane_powers(x, a, out):
    """Bases that differ per lane: the vector engine raises arrays, with numpy's power loop."""
    i = cuda.grid(1)
    if i < x.size:
        v = x[i] * 0.5
        out[0, i] = x[i] ** 3 + x[i] ** -2.5
        out[1, i] = v**1.5
        out[2, i] = (v + 1) ** 0.25
        out[3, i] = a[i] ** 2.5  # an integer to a float power: float64


def shared_base(x, out):
    """One base for every lane: a numpy scalar on the vector engine, raised by numpy's scalar
    power."""
    i = cuda.grid(1)
    if i < x.size:
        out[i] = x[0] ** 3


def unpacked_base(x, out):
    """`j, r = cuda.grid(1), float32(...)`: `j` differs per lane, `r` is one numpy scalar."""
    j, r = cuda.grid(1), float32(2.0472865)
    if j < x.size:
        out[j] = x[j] + r**3.0


def negative_power(a, out):
    i = cuda.grid(1)
    if i < a.size:
        out[i] = a[i] ** -1


def _run(function, make, checks):
    with np.errstate(all="ignore"):
        error, counts, _ = compare_tiers(cuda.jit(function), 4, 32, make, checks, KernelError)
    return error, counts.get("compiled", 0)


def _floats(rng, dtype):
    x = (rng.standard_normal(100) * 30).astype(dtype)
    x[:6] = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e30]
    return x


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.int64, np.uint64])
def test_integer_powers_wrap_as_numpy(checks, dtype):
    info = np.iinfo(dtype)

    def make(rng):
        a = rng.integers(info.min, info.max, 100, dtype=dtype, endpoint=True)
        return [a, np.zeros((7, 100), dtype)]

    _, ran = _run(integer_powers, make, checks)
    assert ran == 1, launcher.reasons.get("integer_powers")


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_squares_zeroth_and_first_powers_of_floats(checks, dtype):
    _, ran = _run(
        float_powers, lambda rng: [_floats(rng, dtype), np.zeros((4, 100), dtype)], checks
    )
    assert ran == 1, launcher.reasons.get("float_powers")


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_powers_of_lane_values_run_numpys_power_loop(checks, dtype):
    def make(rng):
        a = rng.integers(-50, 50, 100).astype(np.int32)
        return [_floats(rng, dtype), a, np.zeros((4, 100), np.float64)]

    _, ran = _run(lane_powers, make, checks)
    assert ran == 1, launcher.reasons.get("lane_powers")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_base_shared_by_all_lanes_runs_compiled_where_scalar_power_is_the_loop(dtype):
    """On a CPU where numpy runs a SIMD power loop, its scalar power differs: vector engine."""
    values = [np.float32(7.3), np.float32(-2.1), np.float32(44.1), np.float32(0.3)]
    for first in values:

        def make(rng, first=first):
            x = _floats(rng, dtype)
            x[0] = first
            return [x, np.zeros(100, dtype)]

        _, ran = _run(shared_base, make, True)
        agree = math_calls._scalar_power_agrees(np.dtype(dtype).name, 3)
        assert ran == int(agree), launcher.reasons.get("shared_base")


@pytest.mark.parametrize("checks", [True, False])
def test_a_base_unpacked_beside_the_thread_index_is_one_number_for_all_lanes(checks):
    """Unpacked from a tuple beside `cuda.grid(1)`, the base is still one scalar: compiled only
    where numpy's scalar power gives its power loop's bits (2.0472865 ** 3 does not on a CPU
    with a SIMD power loop)."""
    make = lambda rng: [_floats(rng, np.float32), np.zeros(100, np.float32)]  # noqa: E731
    _, ran = _run(unpacked_base, make, checks)
    agree = math_calls._scalar_power_agrees("float32", 3.0)
    assert ran == int(agree), launcher.reasons.get("unpacked_base")


def test_an_integer_to_a_negative_power_is_reported_by_the_vector_engine():
    make = lambda rng: [np.arange(100, dtype=np.int32), np.zeros(100, np.int32)]  # noqa: E731
    error, ran = _run(negative_power, make, True)
    assert ran == 0 and "negative integer powers" in str(error)
