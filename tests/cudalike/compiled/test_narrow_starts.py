"""A narrow integer variable that starts as a Python int its type does not hold (`prev = -1`,
later `prev = v` of uint8; narrow_starts.py): compiled code keeps the exact number, so an
index and an atomic's index run compiled where the thread assigned the variable and are handed
back where it did not, and `x == prev` runs compiled where `x` never is the wrapped start (255,
which the vector engine's merge leaves in the lanes not assigned). Other reads stay on the
vector engine. Every run (no lane, some lanes, every lane assigning; values at the type's
limits) gives identical arrays on both tiers, checks on and off."""

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.survey_pmpp import NUM_BINS, histogram_aggregated
from tests.cudalike.compiled.tiers import compare_tiers, how_it_ran, launch

pytestmark = pytest.mark.slow

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
N = 64


def repeats(values, out):
    """Counts the nonzero values equal to the last nonzero one before them."""
    i = cuda.grid(1)
    prev = -1
    if i < out.size:
        count = 0
        for j in range(values.shape[1]):
            v = values[i, j]
            if v != 0:
                if v == prev:
                    count += 1
                else:
                    prev = v
        out[i] = count


def repeats_int8(values, out):
    """The same with an int8 start of 128, which int8 wraps to its minimum."""
    i = cuda.grid(1)
    prev = 128
    if i < out.size:
        count = 0
        for j in range(values.shape[1]):
            v = values[i, j]
            if v != 0:
                if prev != v:
                    prev = v
                else:
                    count += 1
        out[i] = count


def changes(values, out):
    """Counts the changes along the thread's row, the start set again at every row: inside the
    bounds test, and under masks that leave lanes out."""
    i = cuda.grid(1)
    if i < out.size:
        n = 0
        for r in range(2):
            prev = -1
            for j in range(values.shape[1]):
                v = values[i, j]
                if v != 0 or r == 1:
                    if v != prev:
                        n += 1
                    prev = v
        out[i] = n


def last_marked(marks, lut, out):
    """Looks up the last nonzero mark of the thread's row."""
    i = cuda.grid(1)
    last = -1
    if i < out.size:
        for j in range(marks.shape[1]):
            if marks[i, j] != 0:
                last = marks[i, j]
        out[i] = lut[last]


def last_marked_int8(marks, lut, out):
    """The same with an int8 start of 200, which int8 wraps to -56."""
    i = cuda.grid(1)
    last = 200
    if i < out.size:
        for j in range(marks.shape[1]):
            if marks[i, j] != 0:
                last = marks[i, j]
        out[i] = lut[last]


def ordered(values, out):
    i = cuda.grid(1)
    prev = -1
    if i < out.size:
        for j in range(values.shape[1]):
            if values[i, j] > prev:
                prev = values[i, j]
        out[i] = 1


def incremented(values, lut, out):
    i = cuda.grid(1)
    prev = -1
    if i < out.size:
        if values[i, 0] != 0:
            prev = values[i, 0]
        out[i] = lut[prev + 1]


def _compare(function, grid, block, make_args, checks):
    error, counts, _ = compare_tiers(
        cuda.jit(function), grid, block, make_args, checks, KernelError
    )
    return error, how_it_ran(counts), launcher.reasons.get(function.__name__)


@CHECKS
@pytest.mark.parametrize(("low", "high"), [(90, 125), (97, 98), (0, 50), (0, 256)])
def test_the_aggregated_histogram_runs_compiled(low, high, checks):
    def make_args(rng):
        text = rng.integers(low, high, 1000).astype(np.uint8)
        return [text, np.zeros(NUM_BINS, np.int32)]

    error, ran, reason = _compare(histogram_aggregated, 4, 64, make_args, checks)
    assert error is None
    assert ran == "compiled", reason


def _rows(dtype, zeros: str, top: int | None = None):
    """A row per thread: values of `dtype` up to `top` (the type's largest by default), with
    zeros (not assigning) nowhere, in some rows or everywhere."""

    def make_args(rng):
        high = np.iinfo(dtype).max if top is None else top
        values = rng.integers(1, 4, (N, 6)) * (high // 3)
        values[::3, 2] = high  # a run at the type's limit
        if zeros == "some":
            values[::2, :] *= rng.integers(0, 2, (N // 2, 6))
            values[5] = 0
        elif zeros == "all":
            values[:] = 0
        return [values.astype(dtype), np.zeros(N, np.int32)]

    return make_args


ZEROS = pytest.mark.parametrize("zeros", ["none", "some", "all"])
UNSIGNED = pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.uint32])


@CHECKS
@ZEROS
@UNSIGNED
def test_equality_runs_compiled_where_the_other_side_never_is_the_wrapped_start(
    dtype, zeros, checks
):
    top = np.iinfo(dtype).max - 1
    error, ran, reason = _compare(repeats, 2, 32, _rows(dtype, zeros, top), checks)
    assert error is None
    assert ran == "compiled", reason


@CHECKS
@ZEROS
@UNSIGNED
def test_equality_with_the_wrapped_start_is_handed_back(dtype, zeros, checks):
    error, ran, reason = _compare(repeats, 2, 32, _rows(dtype, zeros), checks)
    assert error is None
    assert ran == ("compiled" if zeros == "all" else "handed back"), reason


@CHECKS
@ZEROS
@UNSIGNED
def test_a_start_set_again_under_masks(dtype, zeros, checks):
    top = np.iinfo(dtype).max - 1
    error, ran, reason = _compare(changes, 2, 32, _rows(dtype, zeros, top), checks)
    assert error is None
    assert ran == "compiled", reason
    error, ran, reason = _compare(changes, 2, 32, _rows(dtype, zeros), checks)
    assert error is None
    assert ran == ("compiled" if zeros == "all" else "handed back"), reason


@CHECKS
@ZEROS
def test_an_int8_start_wrapped_to_the_minimum(zeros, checks):
    def make_args(rng):
        values = rng.integers(-128, 128, (N, 6))
        values[::4] = np.abs(values[::4]) // 2
        if zeros == "all":
            values[:] = 0
        return [values.astype(np.int8), np.zeros(N, np.int32)]

    def above_minimum(rng):
        values, out = make_args(rng)
        return [np.maximum(values, -127), out]

    error, ran, reason = _compare(repeats_int8, 2, 32, make_args, checks)
    assert error is None
    assert ran == ("compiled" if zeros == "all" else "handed back"), reason
    error, ran, reason = _compare(repeats_int8, 2, 32, above_minimum, checks)
    assert error is None
    assert ran == "compiled", reason


@CHECKS
@ZEROS
@UNSIGNED
def test_an_index_runs_compiled_where_every_thread_assigned(dtype, zeros, checks):
    def make_args(rng):
        marks = rng.integers(0, 3, (N, 5)) * rng.integers(1, 100, (N, 5))
        marks[:, 0] = rng.integers(1, 100, N)
        if zeros == "some":
            marks[7] = 0
        elif zeros == "all":
            marks[:] = 0
        lut = rng.integers(0, 1000, 256).astype(np.int32)
        return [marks.astype(dtype), lut, np.zeros(N, np.int32)]

    error, ran, _ = _compare(last_marked, 2, 32, make_args, checks)
    assert ran == ("compiled" if zeros == "none" else "handed back")


@CHECKS
@ZEROS
def test_an_index_of_a_start_held_by_a_wider_type_is_handed_back(zeros, checks):
    """Where no lane assigned, the vector engine indexes with 200; where some did, with -56."""

    def make_args(rng):
        marks = rng.integers(1, 100, (N, 5))
        if zeros == "some":
            marks[3::4] = 0
        elif zeros == "all":
            marks[:] = 0
        lut = rng.integers(0, 1000, 256).astype(np.int32)
        return [marks.astype(np.int8), lut, np.zeros(N, np.int32)]

    error, ran, reason = _compare(last_marked_int8, 2, 32, make_args, checks)
    assert ran == ("compiled" if zeros == "none" else "handed back"), reason


@CHECKS
@pytest.mark.parametrize("function", [ordered, incremented])
def test_other_reads_stay_on_the_vector_engine(function, checks):
    def make_args(rng):
        values = rng.integers(0, 200, (N, 4)).astype(np.uint8)
        lut = [np.zeros(258, np.int32)] if function is incremented else []
        return [values, *lut, np.zeros(N, np.int32)]

    error, ran, reason = _compare(function, 2, 32, make_args, checks)
    assert ran == "vector"
    assert "may still hold the Python number it started as" in reason


def merged_start(flags, values, out):
    i = cuda.grid(1)
    prev = -1
    if flags[i] != 0:
        prev = values[i]
    out[i] = prev


def test_probe_shows_the_vector_engine_wraps_the_start_where_some_lanes_assign():
    """On the vector engine alone: the lanes not assigned hold -1 where no lane assigned, and
    255 (np.where converting -1 to uint8) where some did."""
    results = {}
    for name, flags in (("none", np.zeros(N, np.int8)), ("some", np.arange(N) % 2)):
        out = np.zeros(N, np.int64)
        args = [flags.astype(np.int8), np.full(N, 7, np.uint8), out]
        launch(merged_start, 2, 32, args, "vector")
        results[name] = set(out[flags == 0].tolist())
    assert results == {"none": {-1}, "some": {255}}
