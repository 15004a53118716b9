"""Arrays of different dtypes meet in compiled code with numpy's promotion, as in the vector
engine: a float64 times a float32 is a float64 product, an int64 plus an int32 an int64 sum."""

import numpy as np
import pytest

from cudalike import cuda
from cudalike.simt.compiled import numbers as nb
from tests.cudalike.compiled.tiers import ran_compiled

pytestmark = pytest.mark.slow

PAIRS = [
    (np.float64, np.float32),
    (np.float32, np.float64),
    (np.int64, np.int32),
    (np.int32, np.int64),
    (np.int32, np.float32),
    (np.uint32, np.int64),
]


def mixed(a, b, out):
    i = cuda.grid(1)
    if i < a.size:
        out[0, i] = a[i] * b[i] + a[i]
        out[1, i] = a[i] - b[i] * 3
        out[2, i] = max(a[i], b[i])


def _operands(kind, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if np.dtype(kind).kind == "f":
        return (rng.standard_normal(500) * 1e3).astype(kind)
    info = np.iinfo(kind)
    return rng.integers(max(info.min, -(2**40)), min(info.max, 2**40), 500).astype(kind)


@pytest.mark.parametrize("left, right", PAIRS)
def test_mixed_dtypes_promote_as_numpy_does(left, right):
    a, b = _operands(left, 1), _operands(right, 2)
    results = {}
    for tier in ("vector", "compiled"):
        out = np.zeros((3, a.size), np.float64)
        with np.errstate(all="ignore"):
            assert ran_compiled(mixed, 4, 128, [a, b, out], tier) == (tier == "compiled")
        results[tier] = out
    assert results["compiled"].tobytes() == results["vector"].tobytes()


def test_a_strong_64_bit_type_is_never_taken_for_a_python_number():
    assert not nb.is_weak(np.dtype(np.float64)) and not nb.is_weak(np.dtype(np.int64))
    assert nb.combine(np.dtype(np.float64), np.dtype(np.float32)) == np.float64
    assert nb.combine(np.dtype(np.int32), np.dtype(np.int64)) == np.int64
    assert nb.combine(np.dtype(np.float32), nb.WEAK_FLOAT) == np.float32


def add_number(x, out, number):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = x[i] + number


def compare_number(x, out, number):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = 1 if x[i] < number else (2 if x[i] < 3000000000 else 3)


def store_number(x, number):
    i = cuda.grid(1)
    if i < x.size:
        x[i] = number


@pytest.mark.parametrize(
    "function, dtype, number, compiled",
    [
        (add_number, np.int32, 7, True),
        (add_number, np.int32, 3_000_000_000, False),  # numpy refuses: OverflowError
        (add_number, np.uint32, -1, False),
        (add_number, np.uint32, 4_000_000_000, True),
        (compare_number, np.int32, 5, True),
        (compare_number, np.int32, -(2**40), True),  # compared exactly, in int64, as numpy does
        (store_number, np.int32, 2**31, False),
        (store_number, np.int32, -(2**31), True),
    ],
)
def test_a_python_integer_that_does_not_fit_the_array_type_does_as_numpy_does(
    function, dtype, number, compiled
):
    """Where numpy refuses to mix the integer with the array's type (NEP 50) the compiled code
    hands the launch back and the vector engine reports it; compared, numpy's exact answer."""
    results = {}
    for tier in ("vector", "compiled"):
        x = np.arange(10, dtype=dtype)
        args = [x, number] if function is store_number else [x, np.zeros(10, np.int64), number]
        try:
            ran = ran_compiled(function, 1, 32, args, tier)
            results[tier] = (ran, None, args[0 if function is store_number else 1].tobytes())
        except Exception as error:
            results[tier] = (None, f"{type(error).__name__}: {error}", None)
    assert results["compiled"][1:] == results["vector"][1:]
    assert (results["compiled"][0] == 1) == compiled
