"""Every buggy kernel in files/buggy_kernels.py gets the right report, pointing at the right place.

A report must name the kernel, the file and line marked `# BUG: <name>`, and the block and
thread of the first offending thread in CUDA's order (block x fastest, then thread x fastest).
"""

import re

import numpy as np
import pytest

from cudalike import config
from cudalike.errors import (
    BarrierDivergenceError,
    KernelRuntimeError,
    OutOfBoundsError,
    RaceError,
    RunawayKernelError,
    UninitializedReadError,
)

from . import kernels

FILE = "buggy_kernels"


def f32(n):
    return np.arange(n, dtype=np.float32)


def run_buggy(kernel, griddim, blockdim, *args):
    kernels.jit(FILE, kernel)[griddim, blockdim](*args)


def where(kernel: str, marker: str, block: tuple, thread: str) -> str:
    """Regex for the report's first and third lines: kernel, file:line, then who."""
    line = kernels.line_of(FILE, marker)
    bx, by, bz = block
    return (
        rf"in kernel '{kernel}' at \S*{FILE}\.py:{line}\n.*\n"
        rf"block \({bx}, {by}, {bz}\), thread \({thread}\)"
    )


def check_report(error, kernel, marker, block, thread):
    line = kernels.line_of(FILE, marker)
    assert re.search(where(kernel, marker, block, thread), str(error)), str(error)
    assert error.kernel == kernel and error.line == line
    assert tuple(error.block) == block
    text = kernels.source_path(FILE).read_text().splitlines()[line - 1]
    assert error.source.strip() and error.source.strip() in text


# ---- out of bounds ---------------------------------------------------------------------------


def test_missing_guard_write_past_the_end():
    out = np.zeros(100, np.float32)
    with pytest.raises(OutOfBoundsError) as caught:
        run_buggy("fill_missing_guard", 2, 64, out, np.float32(2))
    error = caught.value
    check_report(error, "fill_missing_guard", "oob-write", (1, 0, 0), r"36, 0, 0")
    assert error.warp == 1 and "(warp 1)" in str(error)
    assert re.search(r"\bout\b", str(error)) and re.search(r"\b100\b", str(error))


def test_with_checks_off_an_access_past_the_end_says_how_to_find_the_thread():
    out = np.zeros(100, np.float32)
    with config.override(checks=False), pytest.raises(KernelRuntimeError) as caught:
        run_buggy("fill_missing_guard", 2, 64, out, np.float32(2))
    assert "IndexError" in str(caught.value)
    assert "checks=True" in caught.value.hint and "thread" in caught.value.hint


def test_missing_guard_read_past_the_end():
    with pytest.raises(OutOfBoundsError) as caught:
        run_buggy("scale_missing_guard", 4, 32, f32(100), np.zeros(100, np.float32))
    check_report(caught.value, "scale_missing_guard", "oob-read", (3, 0, 0), r"4, 0, 0")
    assert re.search(r"\ba\b", str(caught.value)) and re.search(r"\b100\b", str(caught.value))


def test_negative_index_is_reported_not_wrapped():
    with pytest.raises(OutOfBoundsError) as caught:
        run_buggy("stencil_missing_left_guard", 4, 32, f32(100), np.zeros(100, np.float32))
    check_report(
        caught.value, "stencil_missing_left_guard", "negative-index", (0, 0, 0), r"0, 0, 0"
    )
    assert re.search(r"-1\b", str(caught.value))


def test_out_of_bounds_in_2d_grid_names_2d_coordinates():
    a, out = np.zeros((10, 12), np.float32), np.zeros((10, 12), np.float32)
    with pytest.raises(OutOfBoundsError) as caught:
        run_buggy("map_2d_missing_row_guard", (2, 2), (8, 8), a, out)
    check_report(caught.value, "map_2d_missing_row_guard", "oob-2d", (1, 0, 0), r"2, 0, 0")
    assert re.search(r"10,\s*0", str(caught.value))


# ---- races -------------------------------------------------------------------------------------


def test_shared_reverse_without_syncthreads_is_a_race():
    with pytest.raises(RaceError) as caught:
        run_buggy("reverse_no_sync", 2, 64, f32(128), np.zeros(128, np.float32))
    check_report(caught.value, "reverse_no_sync", "reverse-race", (0, 0, 0), r"0, 0, 0")
    assert re.search(r"\bs\b", str(caught.value))
    assert "syncthreads" in str(caught.value)


def test_tiled_matmul_missing_second_syncthreads_is_write_after_read():
    A, B = np.ones((32, 32), np.float32), np.ones((32, 32), np.float32)
    with pytest.raises(RaceError) as caught:
        run_buggy("matmul_missing_second_sync", (2, 2), (16, 16), A, B, np.zeros_like(A))
    check_report(caught.value, "matmul_missing_second_sync", "war-race", (0, 0, 0), r"0, 0, 0")
    assert re.search(r"\bsA\b", str(caught.value))


def test_reduction_missing_syncthreads_in_loop_is_a_race():
    with pytest.raises(RaceError) as caught:
        run_buggy("reduction_missing_sync", 2, 128, f32(256), np.zeros(2, np.float32))
    check_report(caught.value, "reduction_missing_sync", "reduction-race", (0, 0, 0), r"0, 0, 0")


def test_warp_synchronous_code_without_syncwarp_is_a_race():
    with pytest.raises(RaceError) as caught:
        run_buggy("warp_tail_no_syncwarp", 2, 64, f32(128), np.zeros(2, np.float32))
    check_report(caught.value, "warp_tail_no_syncwarp", "warp-race", (0, 0, 0), r"0, 0, 0")
    # A block of two warps: the hint offers the block's barrier as well as syncwarp.
    assert "cuda.syncwarp()" in caught.value.hint and "cuda.syncthreads()" in caught.value.hint


def test_two_blocks_writing_one_global_element_is_a_race():
    with pytest.raises(RaceError) as caught:
        run_buggy("blocks_share_output", 2, 32, f32(64), np.zeros(32, np.float32))
    # Both writers are named: the first in lane order leads, the other block is in the detail.
    check_report(caught.value, "blocks_share_output", "global-race", (0, 0, 0), r"0, 0, 0")
    assert re.search(r"\bout\b", str(caught.value))
    assert re.search(r"block \(1, 0, 0\)", str(caught.value).splitlines()[2])


def test_warps_of_one_block_updating_one_global_counter_is_a_race():
    values = np.array([5, 1, 2, 3] * 8 + [5] + [0] * 31, np.int32)  # thread 32 meets thread 0
    with pytest.raises(RaceError) as caught:
        run_buggy("histogram_without_atomics", 1, 64, values, np.zeros(8, np.int32))
    check_report(
        caught.value, "histogram_without_atomics", "block-global-race", (0, 0, 0), "0, 0, 0"
    )
    assert "counts'[5] in the same instruction as thread (32, 0, 0) of another warp" in str(
        caught.value
    )
    assert caught.value.other_thread == (32, 0, 0) and "cuda.atomic" in caught.value.hint


def test_reading_what_another_warp_of_the_block_wrote_without_a_barrier_is_a_race():
    with pytest.raises(RaceError) as caught:
        run_buggy("neighbour_before_barrier", 1, 64, f32(64), np.zeros(64, np.float32))
    assert (
        "thread (32, 0, 0) (warp 1): reads global array 'out'[31], which a thread of warp 0 "
        "wrote with no barrier in between" in str(caught.value)
    )
    assert "cuda.syncthreads()" in caught.value.hint


@pytest.mark.parametrize(
    "kernel, griddim, blockdim, make_args",
    [
        ("reverse_no_sync", 2, 64, lambda: [f32(128), np.zeros(128, np.float32)]),
        ("reduction_missing_sync", 2, 128, lambda: [f32(256), np.zeros(2, np.float32)]),
        ("blocks_share_output", 2, 32, lambda: [f32(64), np.zeros(32, np.float32)]),
    ],
)
def test_race_checks_can_be_turned_off(kernel, griddim, blockdim, make_args):
    with config.override(checks=False):
        run_buggy(kernel, griddim, blockdim, *make_args())


# ---- barriers, uninitialised memory, runaway loops ---------------------------------------------


def test_syncthreads_in_divergent_branch():
    with pytest.raises(BarrierDivergenceError) as caught:
        run_buggy("barrier_in_branch", 1, 64, f32(64), np.zeros(64, np.float32))
    # Which side is named (a thread that waits, or the first that never arrives) is a choice.
    check_report(caught.value, "barrier_in_branch", "divergent-barrier", (0, 0, 0), r"(0|16), 0, 0")


def test_read_of_shared_memory_never_written():
    with pytest.raises(UninitializedReadError) as caught:
        run_buggy("shared_half_initialised", 1, 32, np.zeros(32, np.float32))
    check_report(caught.value, "shared_half_initialised", "uninit-shared", (0, 0, 0), r"1, 0, 0")
    assert re.search(r"\bs\b", str(caught.value))


def test_read_of_local_memory_never_written():
    with pytest.raises(UninitializedReadError) as caught:
        run_buggy("local_partly_written", 2, 32, f32(50), np.zeros(50, np.float32))
    check_report(caught.value, "local_partly_written", "uninit-local", (0, 0, 0), r"0, 0, 0")
    assert re.search(r"\btmp\b", str(caught.value))


def test_endless_while_true_is_stopped_at_the_loop():
    with config.override(loop_budget=1000), pytest.raises(RunawayKernelError) as caught:
        run_buggy("endless_loop", 1, 32, np.zeros(32, np.int64))
    check_report(caught.value, "endless_loop", "endless-while-true", (0, 0, 0), r"0, 0, 0")


def test_loop_endless_for_some_threads_names_the_first_of_them():
    with config.override(loop_budget=1000), pytest.raises(RunawayKernelError) as caught:
        run_buggy("odd_threads_never_stop", 2, 32, np.zeros(64, np.int64))
    check_report(caught.value, "odd_threads_never_stop", "endless-odd", (0, 0, 0), r"1, 0, 0")


# ---- more places a vector engine could miss a bug ----------------------------------------------


def test_column_overflow_in_2d_array_is_not_wrapped_into_the_next_row():
    a, out = np.zeros((4, 5), np.float32), np.zeros((4, 5), np.float32)
    with pytest.raises(OutOfBoundsError) as caught:
        run_buggy("row_neighbour_sum", 1, (4, 8), a, out)
    # Lane order is x fastest: thread (0, 4, 0) is the first with col + 1 == 5.
    check_report(caught.value, "row_neighbour_sum", "oob-column", (0, 0, 0), r"0, 4, 0")
    assert re.search(r"0,\s*5", str(caught.value))


def test_shared_memory_index_past_the_end():
    with pytest.raises(OutOfBoundsError) as caught:
        run_buggy("shared_shift_past_end", 1, 32, f32(32), np.zeros(32, np.float32))
    check_report(caught.value, "shared_shift_past_end", "oob-shared", (0, 0, 0), r"31, 0, 0")
    assert re.search(r"\bs\b", str(caught.value)) and re.search(r"\b32\b", str(caught.value))


def test_continue_that_skips_a_barrier_for_some_threads():
    with pytest.raises(BarrierDivergenceError) as caught:
        run_buggy("continue_skips_barrier", 1, 64, f32(64), np.zeros(64, np.float32))
    check_report(
        caught.value, "continue_skips_barrier", "barrier-skipped", (0, 0, 0), r"(0|1), 0, 0"
    )


def test_block_reading_what_another_block_wrote_is_a_race():
    tmp, out = np.zeros(64, np.float32), np.zeros(64, np.float32)
    with pytest.raises(RaceError) as caught:
        run_buggy("read_other_block_output", 2, 32, f32(64), tmp, out)
    error = caught.value
    assert error.line == kernels.line_of(FILE, "global-raw"), str(error)
    assert re.search(r"\btmp\b", str(error))
    assert re.search(r"block \(1, 0, 0\)", str(error)) and re.search(
        r"block \(0, 0, 0\)", str(error)
    )


def test_loop_over_budget_is_stopped_even_with_a_uniform_bound():
    with config.override(loop_budget=1000), pytest.raises(RunawayKernelError) as caught:
        run_buggy("huge_uniform_loop", 1, 32, np.zeros(32, np.int64))
    assert caught.value.line == kernels.line_of(FILE, "long-for"), str(caught.value)
