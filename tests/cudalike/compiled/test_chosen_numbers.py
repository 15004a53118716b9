"""`a if condition else b` of two Python numbers, where the condition certainly differs per
lane, is an int64 or float64 array on the vector engine (numpy's `where`), never a Python
number: compiled code computes it, and what meets it, in that type."""

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers, how_it_ran

pytestmark = pytest.mark.slow


def one_hot_gap(p, labels, out):
    row = cuda.grid(1)
    if row < p.shape[0]:
        for j in range(p.shape[1]):
            # float32 minus a float64 array: float64, stored whole
            out[row, j] = p[row, j] - (0.1 if j == labels[row] else 0.3)


def signed_bytes(x, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = x[i] * (300 if x[i] > 0 else -3)  # int8 times an int64 array: no wrap


def uniform_choice(x, n, out):
    i = cuda.grid(1)
    if i < x.size:
        out[i] = x[i] - (0.1 if n > 3 else 0.3)  # one Python float for every lane


def _gap_args(rng):
    return [
        rng.random((40, 7)).astype(np.float32),
        rng.integers(0, 7, 40).astype(np.int32),
        np.zeros((40, 7), np.float64),
    ]


def _bytes_args(rng):
    return [rng.integers(-128, 128, 100).astype(np.int8), np.zeros(100, np.int64)]


def _uniform_args(rng):
    return [rng.random(100).astype(np.float32), 5, np.zeros(100, np.float64)]


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize(
    "function, make", [(one_hot_gap, _gap_args), (signed_bytes, _bytes_args)], ids=["gap", "bytes"]
)
def test_a_number_chosen_per_lane_is_a_64_bit_array_on_both_tiers(function, make, checks):
    error, counts, compiled = compare_tiers(cuda.jit(function), 4, 32, make, checks, KernelError)
    assert error is None
    assert how_it_ran(counts) == "compiled", launcher.reasons.get(function.__name__)
    args = make(np.random.default_rng(0))
    if function is one_hot_gap:
        p, labels, _ = args
        chosen = np.where(np.arange(7)[None, :] == labels[:, None], 0.1, 0.3)
        assert compiled[-1].tobytes() == (p - chosen).tobytes()
    else:
        x = args[0]
        assert compiled[-1].tobytes() == (x * np.where(x > 0, 300, -3)).tobytes()


@pytest.mark.parametrize("checks", [True, False])
def test_a_number_chosen_alike_for_every_lane_gives_the_same_bytes(checks):
    error, counts, compiled = compare_tiers(
        cuda.jit(uniform_choice), 4, 32, _uniform_args, checks, KernelError
    )
    assert error is None
    x = _uniform_args(np.random.default_rng(0))[0]
    assert compiled[-1].tobytes() == (x - np.float32(0.1)).astype(np.float64).tobytes()
