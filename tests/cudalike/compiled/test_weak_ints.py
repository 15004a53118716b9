"""A variable first set to a Python number and then combined with a narrow array element
(`acc = 0; acc += img[y, x]` on a uint8 image) takes the element's type as numpy's NEP 50
gives it on the vector engine: `0 + uint8` is uint8, so a box blur's sum wraps in uint8 on
both tiers."""

import numpy as np
import pytest
from numba import float32

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers

pytestmark = pytest.mark.slow


def box_blur(img, out):
    y, x = cuda.grid(2)
    if 1 <= y < img.shape[0] - 1 and 1 <= x < img.shape[1] - 1:
        acc = 0
        for dy in range(-1, 2):
            for dx in range(-1, 2):
                acc += img[y + dy, x + dx]
        out[y, x] = acc // 9
        out[y, x + img.shape[1]] = acc


def row_sums(img, out):
    """The accumulator restarts at a Python 0 in every row and runs in the element type."""
    y = cuda.grid(1)
    if y < img.shape[0]:
        total = 0
        for x in range(3):
            acc = 0
            acc += img[y, x]
            acc = acc * 3 + img[y, x + 1]
            total += acc
        out[y] = total


def scaled(img, out):
    i = cuda.grid(1)
    if i < img.shape[0]:
        acc = 0.0
        for k in range(4):
            acc += img[i, k]
        out[i] = acc * 0.5


def _run(function, grid, block, make, checks):
    with np.errstate(all="ignore"):
        _, counts, _ = compare_tiers(cuda.jit(function), grid, block, make, checks, KernelError)
    assert counts.get("compiled", 0) == 1, launcher.reasons.get(function.__name__)


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize(
    ("dtype", "out_dtype"),
    [(np.uint8, np.uint8), (np.uint8, np.int64), (np.int16, np.int32), (np.int8, np.float32)],
)
def test_box_blur_sums_in_the_images_type(checks, dtype, out_dtype):
    info = np.iinfo(dtype)

    def make(rng):
        img = rng.integers(info.min, info.max, (20, 24), dtype=dtype, endpoint=True)
        img[:4] = info.max  # sums that wrap
        return [img, np.zeros((20, 48), out_dtype)]

    _run(box_blur, (2, 2), (16, 16), make, checks)


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.uint16, np.int32])
def test_accumulators_restarted_at_a_python_zero(checks, dtype):
    info = np.iinfo(dtype)

    def make(rng):
        img = rng.integers(info.min, info.max, (64, 4), dtype=dtype, endpoint=True)
        return [img, np.zeros(64, np.int64)]

    _run(row_sums, 2, 32, make, checks)


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.uint8, np.int16])
def test_a_python_float_accumulator(checks, dtype):
    def make(rng):
        img = (rng.standard_normal((64, 4)) * 100).astype(dtype)
        return [img, np.zeros(64, np.float64)]

    _run(scaled, 2, 32, make, checks)


def skipped_sum(img, n, out):
    i = cuda.grid(1)
    if i < img.size:
        acc = 0
        for _ in range(n):
            acc += img[i]
        out[i] = acc - 1  # a Python 0 - 1 is -1, a uint8 0 - 1 is 255


def untaken_branch(x, out):
    i = cuda.grid(1)
    if i < x.size:
        acc = 0.0
        if x[i] > 1000:
            acc += x[i]
        out[i] = acc + 0.1  # a Python 0.0 + 0.1 is 0.1, a float32 one 0.10000000149


def merged_starts(img, out):
    i = cuda.grid(1)
    if i < img.size:
        acc = 0
        if img[i] > 100:
            acc = 5  # merged with the 0 under a mask: an int64 array on the vector engine
        acc += img[i]
        out[i] = acc


def dot(a, b, n, out):
    """A loop that may run no iteration, then a store and a cast: the same bits either way."""
    i = cuda.grid(1)
    if i < out.size:
        acc = 0.0
        last = -1
        for k in range(n):
            acc += a[i, k] * b[k]
            last = k
        out[i] = acc + float32(last)


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize(
    ("function", "make"),
    [
        (untaken_branch, lambda rng: [np.ones(64, np.float32), np.zeros(64, np.float64)]),
        (
            merged_starts,
            lambda rng: [rng.integers(0, 256, 64, dtype=np.uint8), np.zeros(64, np.int64)],
        ),
    ],
)
def test_a_python_number_that_may_survive_keeps_the_kernel_on_the_vector_engine(
    checks, function, make
):
    """Where no lane of a chunk has replaced the Python number (a loop that ran no
    iteration, a branch no lane took), or where two of them were merged under a mask, the
    vector engine computes with other types than compiled code would: identical results,
    from the vector engine."""
    with np.errstate(all="ignore"):
        _, counts, _ = compare_tiers(cuda.jit(function), 2, 32, make, checks, KernelError)
    assert counts.get("compiled", 0) == 0
    assert "Python number" in launcher.reasons[function.__name__]


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize("n", [0, 5])
def test_a_store_after_a_loop_that_may_not_run_stays_compiled(checks, n):
    def make(rng):
        a = rng.standard_normal((64, 5)).astype(np.float32)
        return [a, rng.standard_normal(5).astype(np.float32), n, np.ones(64, np.float32)]

    _run(dot, 2, 32, make, checks)


def chosen_numbers(flags, small, out):
    i = cuda.grid(1)
    if i < small.size:
        out[i] = (120 if flags[i] else 7) + small[i] * small[i]  # int64 + int8 on the vector engine


@pytest.mark.parametrize("checks", [True, False])
def test_two_python_numbers_chosen_per_lane_are_not_narrowed(checks):
    """The choice is numpy's `where` of the two numbers, an int64 array, on both tiers."""

    def make(rng):
        small = rng.integers(-128, 128, 64, dtype=np.int8)
        return [rng.integers(0, 2, 64).astype(np.bool_), small, np.zeros(64, np.int64)]

    with np.errstate(all="ignore"):
        _, counts, out = compare_tiers(cuda.jit(chosen_numbers), 2, 32, make, checks, KernelError)
    assert counts.get("compiled", 0) == 1
    flags, small, _ = make(np.random.default_rng(0))
    with np.errstate(all="ignore"):
        squares = small * small  # int8 arithmetic, wrapped
    assert out[-1].tolist() == (np.where(flags, 120, 7) + squares).tolist()


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize(("n", "outcome"), [(0, "handed back"), (2, "compiled")])
def test_a_read_after_a_loop_that_may_not_iterate_is_checked_at_run_time(checks, n, outcome):
    """`acc - 1` after `acc = 0` and a loop adding uint8: the loop is checked to run at least
    once, where `acc` is uint8 on both tiers; with no iteration the launch is handed back and
    the vector engine computes the Python -1."""

    def make(rng):
        return [np.arange(64, dtype=np.uint8), n, np.zeros(64, np.int64)]

    with np.errstate(all="ignore"):
        _, counts, _ = compare_tiers(cuda.jit(skipped_sum), 2, 32, make, checks, KernelError)
    assert counts.get(outcome, 0) == 1, launcher.reasons.get("skipped_sum")
