"""A variable one `name = value` assigns, outside every loop, keeps its Python number whole on
the vector engine however masked the assignment (there is nothing to merge it with), so compiled
code types it as that number too: `h2 = h * h` in a guarded branch stays a Python float, and
`x[i] - h2` rounds h2 to float32 on both tiers."""

import numpy as np
import pytest
from numba import float32

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers, how_it_ran

pytestmark = pytest.mark.slow


def squared_width(x, h, out):
    i = cuda.grid(1)
    if i < x.size:
        h2 = h * h  # 0.1 * 0.1 is no float32: float32 or float64 arithmetic would differ
        out[i] = x[i] * h2 - h2


def within_cutoff(x, h, out):
    i = cuda.grid(1)
    if i < x.size:
        cutoff = h * 3.0
        scale = 1.0 / cutoff
        total = float32(0)
        for j in range(x.size):
            d = x[i] - x[j]
            if d < cutoff and -d < cutoff:
                total += (cutoff - abs(d)) * scale
        out[i] = total


@cuda.jit(device=True)
def weight(v, h):
    if v > 0.5:
        factor = h * 7.0
        return v * factor
    return v


def device_in_loop(x, h, out):
    i = cuda.grid(1)
    if i < x.shape[0]:
        acc = float32(0)
        for k in range(x.shape[1]):
            acc += weight(x[i, k], h)
        out[i] = acc


def assigned_in_a_loop(x, h, out):
    i = cuda.grid(1)
    if i < x.shape[0]:
        acc = float32(0)
        for k in range(x.shape[1]):
            if x[i, k] > 0.5:
                step = h * 3.0
                acc += x[i, k] * step
        out[i] = acc


def read_after_the_branch(x, h, out):
    i = cuda.grid(1)
    if i < x.size and x[i] > 0.5:
        h2 = h * h
    out[i % out.size] = x[i % x.size] * h2


def _flat(rng):
    return [rng.random(100).astype(np.float32), 0.1, np.zeros(100, np.float64)]


def _rows(rng):
    return [rng.random((50, 9)).astype(np.float32), 0.1, np.zeros(50, np.float64)]


CASES = [
    (squared_width, _flat, "compiled"),
    (within_cutoff, _flat, "compiled"),
    # inlined into the kernel's loop, the assignment runs at every iteration
    (device_in_loop, _rows, "vector"),
    (assigned_in_a_loop, _rows, "vector"),
]


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize(
    "function, make, expected", CASES, ids=lambda v: getattr(v, "__name__", "")
)
def test_a_single_assignment_keeps_its_python_number_on_both_tiers(
    function, make, expected, checks
):
    # 100 and 50 threads in blocks of 64: the last block's mask is partial
    error, counts, _ = compare_tiers(cuda.jit(function), 2, 64, make, checks, KernelError)
    assert error is None
    assert how_it_ran(counts) == expected, launcher.reasons.get(function.__name__)


def test_a_read_by_threads_that_did_not_assign_stays_on_the_vector_engine():
    error, counts, _ = compare_tiers(
        cuda.jit(read_after_the_branch), 2, 64, _flat, True, KernelError
    )
    assert how_it_ran(counts) == "vector"
    assert "may be read before it is assigned" in launcher.reasons["read_after_the_branch"]
