"""Integer variables that hold, in some runs of the vector engine, the same number as compiled
code's value in another type (same_numbers.py): Python numbers merged under a partial mask (an
int64 array) then XORed with int32 table entries, as a quasirandom generator does; and a
Python-int start not known when compiling (`row = nr - 1` of a scalar argument, as SRAD does)
added to an int32 offset in an index, checked at run time to fit int32. Every run (a branch
taken by every lane of the chunk, by none, by some; lanes that left; values at the int32
limits) gives identical arrays and reports on both tiers, checks on and off; probes run on the
vector engine alone show that the runs give different types."""

import numpy as np
import pytest
from numba import float32

from cudalike import config, cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.survey_apps_samples import QRNG_DIMS, quasirandom
from tests.cudalike.compiled.tiers import compare_tiers, how_it_ran

pytestmark = pytest.mark.slow

CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
LANES = 64


def merged_xor(table, flags, out, scaled, n):
    """`result = 0`, then 7 where a lane's flag is 1: a Python number, an int32 array, or an
    int64 array where the two numbers merged under a partial mask, then XORed and ORed with
    int32 entries, stored and cast to float32."""
    i = cuda.grid(1)
    if i >= n:
        return
    for d in range(3):
        result = 0
        if flags[d, i] == 1:
            result = 7
        if flags[d, i] != 0:
            result ^= table[d, i]
        if flags[d, i] > 1:
            result |= table[d, LANES - 1 - i]
        out[d, i] = result
        scaled[d, i] = float32(result) * 0.5


def merged_index(small, flags, lut, out, n):
    """The merged value (entries 0 to 7) used as an index."""
    i = cuda.grid(1)
    if i >= n:
        return
    for d in range(3):
        result = 0
        if flags[d, i] == 1:
            result = 7
        if flags[d, i] != 0:
            result ^= small[d, i]
        out[d, i] = lut[result]


def merged_probe(table, flags, out, n):
    """merged_xor's value plus INT32_MAX: it wraps where the value is int32."""
    i = cuda.grid(1)
    if i >= n:
        return
    for d in range(3):
        result = 0
        if flags[d, i] == 1:
            result = 7
        if flags[d, i] != 0:
            result ^= table[d, i]
        out[d, i] = result + 2147483647


def python_row(image, offsets, out, nr, ne):
    """SRAD's index: `row = nr - 1` of the Python-int argument where `(ei + 1) % nr == 0`."""
    ei = cuda.grid(1)
    row = (ei + 1) % nr - 1
    if (ei + 1) % nr == 0:
        row = nr - 1
    if ei < ne:
        out[ei] = image[0, row + offsets[ei]] + image[0, row]


def python_row_xor(image, offsets, out, nr, ne):
    """The same row XORed with an int32 offset."""
    ei = cuda.grid(1)
    row = ei % nr
    if ei % nr == 0:
        row = nr - 1
    if ei < ne:
        out[ei] = image[0, offsets[ei] ^ row]


def cut_row(image, offsets, out, nr, cut):
    """`row = nr - 1` from lane `cut` on: a Python int where every lane takes the branch."""
    ei = cuda.grid(1)
    row = ei
    if ei >= cut:
        row = nr - 1
    out[ei] = image[0, row + offsets[ei]]


def cut_row_sum(offsets, out, nr, cut):
    """The Python-int row plus an int64 offset: int64 either way, so it may be stored."""
    ei = cuda.grid(1)
    row = ei
    if ei >= cut:
        row = nr - 1
    out[ei] = row + offsets[ei]


def row_probe(offsets, out, nr, cut):
    """cut_row's sum stored: it wraps where every lane took the branch (int32)."""
    ei = cuda.grid(1)
    row = ei
    if ei >= cut:
        row = nr - 1
    out[ei] = row + offsets[ei]


def _table(rng, width: int = LANES) -> np.ndarray:
    table = rng.integers(INT32_MIN, INT32_MAX, (3, width), dtype=np.int64).astype(np.int32)
    table[:, :4] = [INT32_MIN, INT32_MAX, -1, 1]
    return table


_LANE = np.arange(LANES)
# flags per step (3 steps): none, all, some lanes; a step no lane flags before one some lanes do
FLAGS = {
    "none": np.zeros((3, LANES), np.int32),
    "all": np.full((3, LANES), 2, np.int32),
    "some": np.tile(_LANE % 3, (3, 1)).astype(np.int32),
    "none-then-some": np.stack([0 * _LANE, _LANE % 3 == 0, _LANE % 4]).astype(np.int32),
}
LAUNCHES = pytest.mark.parametrize("n", [LANES, 50, 1], ids=["full", "partial", "one-lane"])
FLAGGED = pytest.mark.parametrize("flags", FLAGS, ids=list(FLAGS))


@CHECKS
@LAUNCHES
@FLAGGED
def test_merged_numbers_xored_run_compiled(flags, n, checks):
    def make_args(rng):
        zeros = np.zeros((3, LANES), np.int32)
        return [_table(rng), FLAGS[flags], zeros, zeros.astype(np.float32), n]

    error, counts, _ = compare_tiers(cuda.jit(merged_xor), 2, 32, make_args, checks, KernelError)
    assert error is None and how_it_ran(counts) == "compiled", launcher.reasons.get("merged_xor")


@CHECKS
@LAUNCHES
@FLAGGED
def test_merged_numbers_index_run_compiled(flags, n, checks):
    def make_args(rng):
        small = rng.integers(0, 8, (3, LANES), dtype=np.int32)
        lut = rng.random(8).astype(np.float32)
        return [small, FLAGS[flags], lut, np.zeros((3, LANES), np.float32), n]

    error, counts, _ = compare_tiers(cuda.jit(merged_index), 2, 32, make_args, checks, KernelError)
    assert error is None and how_it_ran(counts) == "compiled", launcher.reasons.get("merged_index")


@CHECKS
@LAUNCHES
@pytest.mark.parametrize("seed", [0, 1, 2**20, 2**30])
def test_quasirandom_loop_runs_compiled(seed, n, checks):
    def make_args(rng):  # the guard reads the output's width: n of the 64 threads run
        return [_table(rng, 32), np.zeros((QRNG_DIMS, n), np.float32), seed]

    kernel = cuda.jit(quasirandom)
    error, counts, _ = compare_tiers(kernel, 2, 32, make_args, checks, KernelError)
    assert error is None and how_it_ran(counts) == "compiled", launcher.reasons.get("quasirandom")


def _vector(function, grid: int, block: int, args: list) -> None:
    with config.override(tier="vector", checks=False):
        cuda.jit(function)[grid, block](*args)


def test_probe_shows_merged_numbers_are_int64_and_the_others_int32():
    """The runs differ on the vector engine: where 7 and 0 merged under a partial mask the
    value is an int64 array (no wrap); where no lane set 7 it is int32 (wraps). The compiled
    tier refuses the probe, whose sum would tell them apart."""
    table = np.full((3, LANES), INT32_MAX, np.int32)
    wide, narrow = np.zeros((3, LANES), np.int64), np.zeros((3, LANES), np.int64)
    _vector(merged_probe, 2, 32, [table, FLAGS["some"], wide, LANES])
    _vector(merged_probe, 2, 32, [table, FLAGS["all"], narrow, LANES])
    assert wide[0, 1] == 2 * INT32_MAX - 7 and narrow[0, 1] == -2
    before = launcher.outcomes["outside subset"]
    with config.override(tier="compiled"):
        cuda.jit(merged_probe)[2, 32](table, FLAGS["some"], narrow, LANES)
    assert launcher.outcomes["outside subset"] == before + 1
    assert (
        "set to Python numbers under different masks (an int64 array) where line"
        in (launcher.reasons["merged_probe"])
    )


def _rows(nr: int, offsets) -> callable:
    def make_args(rng):
        image = rng.random((1, 4096)).astype(np.float32)
        return [image, np.asarray(offsets, np.int32), np.zeros(LANES, np.float32), nr, 60]

    return make_args


# nr = 1: every lane takes the branch (a Python int row); 20: some; 1000: none
@CHECKS
@pytest.mark.parametrize("nr", [1, 20, 1000])
def test_python_row_in_an_index_runs_compiled(nr, checks):
    offsets = np.random.default_rng(nr).integers(0, 2000, LANES)
    for function in (python_row, python_row_xor):
        kernel = cuda.jit(function)
        error, counts, _ = compare_tiers(kernel, 2, 32, _rows(nr, offsets), checks, KernelError)
        reason = launcher.reasons.get(function.__name__)
        assert error is None and how_it_ran(counts) == "compiled", reason


def _cut_rows(cut: int, offsets) -> callable:
    def make_args(rng):
        image = rng.random((1, 4096)).astype(np.float32)
        return [image, np.asarray(offsets, np.int32), np.zeros(LANES, np.float32), 5, cut]

    return make_args


@CHECKS
@pytest.mark.parametrize("cut", [0, 10, LANES], ids=["every-lane", "some-lanes", "no-lane"])
def test_python_row_from_a_lane_on_runs_compiled(cut, checks):
    offsets = np.random.default_rng(cut).integers(0, 2000, LANES)
    kernel = cuda.jit(cut_row)
    error, counts, _ = compare_tiers(kernel, 2, 32, _cut_rows(cut, offsets), checks, KernelError)
    assert error is None and how_it_ran(counts) == "compiled", launcher.reasons.get("cut_row")


@CHECKS
@pytest.mark.parametrize("cut", [0, 10, LANES], ids=["every-lane", "some-lanes", "no-lane"])
@pytest.mark.parametrize("nr", [5, 2**40, -(2**63) + 1])
def test_python_row_plus_int64_runs_compiled(cut, nr, checks):
    def make_args(rng):
        offsets = rng.integers(-(2**40), 2**40, LANES)
        offsets[:3] = [2**63 - 1, -(2**63), INT32_MAX]
        return [offsets, np.zeros(LANES, np.int64), nr, cut]

    kernel = cuda.jit(cut_row_sum)
    error, counts, _ = compare_tiers(kernel, 2, 32, make_args, checks, KernelError)
    assert error is None and how_it_ran(counts) == "compiled", launcher.reasons.get("cut_row_sum")


@CHECKS
@pytest.mark.parametrize("cut", [0, 10], ids=["every-lane", "some-lanes"])
@pytest.mark.parametrize("offset", [INT32_MAX, INT32_MAX - 4, INT32_MIN])
def test_python_row_past_int32_is_handed_back(cut, offset, checks):
    """An offset at the int32 limits: the sum wraps in int32 where row is a Python int (every
    lane took the branch) and is outside the image in int64 otherwise; compiled code's check
    hands the launch back, and both tiers give the vector engine's report."""
    offsets = np.arange(LANES)
    offsets[12] = offset
    kernel = cuda.jit(cut_row)
    error, counts, _ = compare_tiers(kernel, 2, 32, _cut_rows(cut, offsets), checks, KernelError)
    assert error is not None and how_it_ran(counts) == "handed back"


def test_probe_shows_a_python_row_is_int32_where_every_lane_took_the_branch():
    offsets = np.full(LANES, INT32_MAX, np.int32)
    every, some = np.zeros(LANES, np.int64), np.zeros(LANES, np.int64)
    _vector(row_probe, 2, 32, [offsets, every, 5, 0])
    _vector(row_probe, 2, 32, [offsets, some, 5, 10])
    assert every[12] == INT32_MIN + 3 and some[12] == INT32_MAX + 4
    before = launcher.outcomes["outside subset"]
    with config.override(tier="compiled"):
        cuda.jit(row_probe)[2, 32](offsets, some, 5, 10)
    assert launcher.outcomes["outside subset"] == before + 1
    assert "may still hold the Python number" in launcher.reasons["row_probe"]
