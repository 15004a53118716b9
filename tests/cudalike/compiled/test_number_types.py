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
