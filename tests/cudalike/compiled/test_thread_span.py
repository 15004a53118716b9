"""Segments guarded by `if tid < s:` or `if tid % k == 0:` visit only the threads that can
pass in a 1-D block, and give the vector engine's arrays and reports in every block shape."""

import inspect

import numpy as np
import pytest
from numba import float32

from cudalike import cuda
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import launch

pytestmark = pytest.mark.slow


def sequential_tree(a, out):
    buffer = cuda.shared.array(128, float32)
    tid = cuda.threadIdx.x
    buffer[tid] = a[cuda.blockIdx.x * cuda.blockDim.x + tid]
    cuda.syncthreads()
    s = cuda.blockDim.x // 2
    while s > 0:
        if tid < s:
            buffer[tid] += buffer[tid + s]
        cuda.syncthreads()
        s //= 2
    if tid == 0:
        out[cuda.blockIdx.x] = buffer[0]


def interleaved_tree(a, out):
    buffer = cuda.shared.array(128, float32)
    buffer[cuda.threadIdx.x] = a[cuda.blockIdx.x * cuda.blockDim.x + cuda.threadIdx.x]
    cuda.syncthreads()
    s = 1
    while s < cuda.blockDim.x:
        if cuda.threadIdx.x % (2 * s) == 0:
            buffer[cuda.threadIdx.x] += buffer[cuda.threadIdx.x + s]
        cuda.syncthreads()
        s *= 2
    if cuda.threadIdx.x == 0:
        out[cuda.blockIdx.x] = buffer[0]


def bounds_from_arguments(out, limit, stride):
    # limits past the block, zero and negative ones; strides of zero (0 as in CUDA, no error)
    tid = cuda.threadIdx.x
    if tid < limit:
        out[cuda.blockIdx.x, tid] += 1
    cuda.syncthreads()
    if tid % stride == 0:
        out[cuda.blockIdx.x, tid] += 10


def two_dimensional(out):
    tid = cuda.threadIdx.x
    row = cuda.threadIdx.y
    limit = cuda.blockDim.x // 2
    if tid < limit:
        out[row, tid] = 1 + row


def reassigned(out):
    tid = cuda.threadIdx.x
    tid = tid // 2  # no longer the thread's x index
    if tid < 3:
        out[cuda.threadIdx.x] = 1


def _compare(function, grid, block, make, checks=True, compiled=True) -> str:
    """Run both tiers; the arrays must be identical; the compiled driver's source.
    `compiled`: whether the compiled run finishes (else it is handed back)."""
    results = []
    for tier in ("vector", "compiled"):
        args = make()
        kernel, ran = launch(function, grid, block, args, tier, checks)
        results.append(args)
    assert ran == compiled, launcher.reasons.get(function.__name__)
    for left, right in zip(*results, strict=True):
        if isinstance(left, np.ndarray):
            np.testing.assert_array_equal(left, right)
    return "".join(inspect.getsource(d.py_func) for d in launcher._drivers[kernel].values())


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
@pytest.mark.parametrize("function", [sequential_tree, interleaved_tree])
def test_tree_steps_visit_only_the_threads_that_pass(function, checks):
    a = np.random.default_rng(4).random(5 * 128, dtype=np.float32)
    source = _compare(function, 5, 128, lambda: [a, np.zeros(5, np.float32)], checks)
    assert "for t in range(" in source


@pytest.mark.parametrize("limit", [-3, 0, 5, 64, 1000])
@pytest.mark.parametrize("stride", [-2, 0, 1, 3, 100])
def test_bounds_past_the_block_zero_and_negative(limit, stride):
    make = lambda: [np.zeros((2, 64), np.int64), limit, stride]  # noqa: E731
    # a stride of 0 raises in compiled code (Python's rule), so the vector engine runs it
    _compare(bounds_from_arguments, 2, 64, make, compiled=stride != 0)


def test_two_dimensional_blocks_visit_every_thread():
    _compare(two_dimensional, 1, (8, 4), lambda: [np.zeros((4, 8), np.int64)])


def test_a_reassigned_thread_index_is_not_taken_for_one():
    source = _compare(reassigned, 1, 16, lambda: [np.zeros(16, np.int64)])
    assert "for t in range(" not in source
