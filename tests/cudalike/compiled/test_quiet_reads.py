"""With checks on, a segment between two barriers that only reads a shared array checks its
reads once per segment when every element was written, and read by read otherwise: the vector
engine's arrays and reports either way."""

import inspect

import numpy as np
import pytest
from numba import float32

from cudalike import config, cuda
from cudalike.errors import OutOfBoundsError, RunawayKernelError, UninitializedReadError
from cudalike.simt.compiled import launcher

pytestmark = pytest.mark.slow


def tile_sums(a, out, filled):
    # Threads below `filled` write the tile; all threads then read all of it.
    tile = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    if t < filled:
        tile[t] = a[cuda.blockIdx.x * 64 + t]
    cuda.syncthreads()
    acc = float32(0)
    for k in range(64):
        acc += tile[(t + k) % 64]
    cuda.syncthreads()
    out[cuda.blockIdx.x * 64 + t] = acc


def test_reads_of_a_fully_written_tile_match_the_vector_engine():
    a = np.random.default_rng(8).random(3 * 64, dtype=np.float32)
    results = []
    for tier in ("vector", "compiled"):
        out = np.zeros(3 * 64, np.float32)
        before = launcher.outcomes["compiled"]
        with config.override(tier=tier):
            cuda.jit(tile_sums)[3, 64](a, out, 64)
        results.append((out, launcher.outcomes["compiled"] - before))
    assert np.array_equal(results[0][0], results[1][0]) and results[1][1] == 1


def test_a_read_of_an_unwritten_element_is_reported_as_by_the_vector_engine():
    a = np.ones(3 * 64, np.float32)
    reports = []
    for tier in ("vector", "compiled"):
        with config.override(tier=tier), pytest.raises(UninitializedReadError) as error:
            cuda.jit(tile_sums)[3, 64](a, np.zeros(3 * 64, np.float32), 63)
        reports.append(str(error.value))
    assert reports[0] == reports[1]


def tile_rounds(a, out, rounds):
    # A block-varying number of rounds over a tile some blocks fill in full and others in part
    # (only the written half read): blocks run either copy of the reading segment.
    tile = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    half = cuda.blockIdx.x % 2
    if half == 0 or t < 32:
        tile[t] = a[cuda.blockIdx.x * 64 + t]
    cuda.syncthreads()
    acc = float32(0)
    for k in range(rounds * 64):
        acc += tile[(t + k) % (64 - 32 * half)]
    cuda.syncthreads()
    out[cuda.blockIdx.x * 64 + t] = acc


def test_both_copies_of_a_reading_segment_match_the_vector_engine():
    a = np.random.default_rng(9).random(4 * 64, dtype=np.float32)
    results = []
    for tier in ("vector", "compiled"):
        out = np.zeros(4 * 64, np.float32)
        before = launcher.outcomes["compiled"]
        with config.override(tier=tier):
            kernel = cuda.jit(tile_rounds)
            kernel[4, 64](a, out, 3)
        results.append((out, launcher.outcomes["compiled"] - before))
    assert np.array_equal(results[0][0], results[1][0]) and results[1][1] == 1
    source = "".join(inspect.getsource(d.py_func) for d in launcher._drivers[kernel].values())
    assert "if q_tile:" in source


def test_both_copies_count_their_loop_on_one_budget():
    # 4 blocks (one a chunk) of 192 iterations, two in each copy: only counted together
    # do they pass 600.
    a = np.ones(4 * 64, np.float32)
    reports = []
    for tier in ("vector", "compiled"):
        with (
            config.override(tier=tier, loop_budget=600, max_lanes=64),
            pytest.raises(RunawayKernelError) as e,
        ):
            cuda.jit(tile_rounds)[4, 64](a, np.zeros(4 * 64, np.float32), 3)
        reports.append(str(e.value))
    assert reports[0] == reports[1]


def tile_past_the_end(a, out, reach):
    # Every element of the tile is written, then read up to `reach` past the thread's own.
    tile = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    tile[t] = a[cuda.blockIdx.x * 64 + t]
    cuda.syncthreads()
    acc = float32(0)
    for k in range(reach):
        acc += tile[t + k]
    cuda.syncthreads()
    out[cuda.blockIdx.x * 64 + t] = acc


def test_an_unchecked_read_past_a_full_tile_is_reported_as_by_the_vector_engine():
    a = np.ones(2 * 64, np.float32)
    handed_back = launcher.outcomes["handed back"]
    reports = []
    for tier in ("vector", "compiled"):
        with config.override(tier=tier), pytest.raises(OutOfBoundsError) as error:
            cuda.jit(tile_past_the_end)[2, 64](a, np.zeros(2 * 64, np.float32), 3)
        reports.append(str(error.value))
    assert reports[0] == reports[1]
    assert launcher.outcomes["handed back"] == handed_back + 1
