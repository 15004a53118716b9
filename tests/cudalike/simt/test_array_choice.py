"""A name that holds a different array in different threads (`if c: src = a else: src = b`).

Loads, stores and atomics through it go to each thread's own array, with the checks of a
direct access; when every thread chose the same array the name is that array.
"""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import config, cuda, profiler
from cudalike.errors import KernelRuntimeError, OutOfBoundsError, UninitializedReadError


def test_a_per_thread_choice_reads_each_threads_own_array() -> None:
    @cuda.jit
    def pick(a, b, out):
        i = cuda.grid(1)
        if i % 3 == 0:
            src = a
        else:
            src = b
        out[i] = src[i]

    a, b = np.arange(64.0), -np.arange(64.0)
    out = np.zeros(64)
    pick[2, 32](a, b, out)
    np.testing.assert_array_equal(out, np.where(np.arange(64) % 3 == 0, a, b))


def test_a_swapped_pair_stores_to_each_threads_own_array() -> None:
    @cuda.jit
    def swap(a, b):
        i = cuda.grid(1)
        if i % 2 == 0:
            src, dst = a, b
        else:
            src, dst = b, a
        dst[i] = src[i] * 10

    a, b = np.arange(8.0), np.arange(100.0, 108.0)
    swap[1, 8](a, b)
    even, odd = np.arange(0, 8, 2), np.arange(1, 8, 2)
    np.testing.assert_array_equal(b[even], np.arange(0, 8, 2) * 10.0)
    np.testing.assert_array_equal(a[odd], np.arange(101, 108, 2) * 10.0)
    np.testing.assert_array_equal(a[even], even)  # untouched
    np.testing.assert_array_equal(b[odd], np.arange(101.0, 108, 2))


def test_a_choice_kept_across_loop_iterations_where_some_threads_skip_the_assignment() -> None:
    @cuda.jit
    def ping_pong(a, b, steps):
        i = cuda.grid(1)
        src, dst = a, b
        for step in range(steps):
            if (i + step) % 2 == 0:  # each thread swaps on its own steps
                src, dst = dst, src
            dst[i] = src[i] + 1

    a, b = np.zeros(16), np.zeros(16)
    ping_pong[1, 16](a, b, 5)
    expected_a, expected_b = np.zeros(16), np.zeros(16)
    for i in range(16):
        arrays = [expected_a, expected_b]
        for step in range(5):
            if (i + step) % 2 == 0:
                arrays.reverse()
            arrays[1][i] = arrays[0][i] + 1
    np.testing.assert_array_equal(a, expected_a)
    np.testing.assert_array_equal(b, expected_b)


def test_a_conditional_expression_choosing_2d_arrays_and_their_rows() -> None:
    @cuda.jit
    def pick_2d(a, b, out, rows_out):
        i, j = cuda.grid(2)
        m = a if (i + j) % 2 == 0 else b
        out[i, j] = m[i, j]
        row = m[i]
        rows_out[i, j] = row[j] + m.shape[1]

    a = np.arange(24.0).reshape(4, 6)
    b = -a
    out, rows_out = np.zeros((4, 6)), np.zeros((4, 6))
    pick_2d[(1, 1), (4, 6)](a, b, out, rows_out)
    chosen = np.where(np.add.outer(np.arange(4), np.arange(6)) % 2 == 0, a, b)
    np.testing.assert_array_equal(out, chosen)
    np.testing.assert_array_equal(rows_out, chosen + 6)


def test_a_device_function_returning_one_of_two_arrays_per_thread() -> None:
    @cuda.jit(device=True)
    def larger(a, b, i):
        if a[i] > b[i]:
            return a
        return b

    @cuda.jit
    def copy_larger(a, b, out):
        i = cuda.grid(1)
        out[i] = larger(a, b, i)[i]

    a = np.array([1.0, 5.0, 2.0, 7.0])
    b = np.array([3.0, 4.0, 6.0, 0.0])
    out = np.zeros(4)
    copy_larger[1, 4](a, b, out)
    np.testing.assert_array_equal(out, np.maximum(a, b))


def test_atomics_through_a_choice_count_in_each_threads_own_array() -> None:
    @cuda.jit
    def tally(evens, odds):
        i = cuda.grid(1)
        counter = evens if i % 2 == 0 else odds
        cuda.atomic.add(counter, 0, 1)

    evens, odds = np.zeros(1, np.int32), np.zeros(1, np.int32)
    tally[3, 32](evens, odds)
    assert evens[0] == 48 and odds[0] == 48


def test_len_of_a_choice_between_arrays_of_different_lengths_is_each_threads_own() -> None:
    @cuda.jit
    def lengths(short, long, out):
        i = cuda.grid(1)
        chosen = short if i < 4 else long
        out[i] = len(chosen) + chosen.size

    out = np.zeros(8, np.int64)
    lengths[1, 8](np.zeros(3), np.zeros(10), out)
    assert list(out) == [6] * 4 + [20] * 4


def test_out_of_bounds_through_the_chosen_array_names_it_and_the_thread() -> None:
    @cuda.jit
    def overrun(short, long, out):
        i = cuda.grid(1)
        if i < 40:
            src = long
        else:
            src = short
        out[i] = src[i]

    with pytest.raises(OutOfBoundsError) as caught:
        overrun[2, 32](np.zeros(8), np.zeros(64), np.zeros(64))
    error = caught.value
    assert "short" in str(error)
    assert error.block == (1, 0, 0) and error.thread == (8, 0, 0)  # thread 40: the first over
    assert error.line is not None and "src[i]" in error.source


def test_an_uninitialised_shared_read_through_a_choice_is_reported() -> None:
    @cuda.jit
    def half_written(out):
        t = cuda.threadIdx.x
        written = cuda.shared.array(32, np.float32)
        never = cuda.shared.array(32, np.float32)
        written[t] = t
        cuda.syncthreads()
        src = written if t < 16 else never
        out[t] = src[t]

    with pytest.raises(UninitializedReadError) as caught:
        half_written[1, 32](np.zeros(32, np.float32))
    assert "never" in str(caught.value) and caught.value.thread == (16, 0, 0)


def test_a_uniform_choice_is_the_array_itself() -> None:
    """Every thread that is still running takes the same branch: the name is that array,
    so what only a single array supports (a slice) works."""

    @cuda.jit
    def uniform(a, b, out, keep):
        i = cuda.grid(1)
        src = a
        if i >= 8:
            return
        if not keep:  # the threads that returned keep `a`, but they are gone
            src = b
        view = src[2:]
        out[i] = view[i]

    a, b = np.arange(10.0), -np.arange(10.0)
    out = np.zeros(8)
    uniform[1, 32](a, b, out, False)
    np.testing.assert_array_equal(out, b[2:])


def test_slices_and_record_fields_of_a_choice_are_each_threads_own() -> None:
    @cuda.jit
    def tails(a, b, records_a, records_b, out, fields):
        i = cuda.grid(1)
        src = a if i % 2 == 0 else b
        tail = src[i:]
        out[i] = tail[0] + len(src)
        rec = records_a if i % 2 == 0 else records_b
        fields[i] = rec[i].v

    a, b = np.arange(8.0), np.arange(100.0, 108.0)
    kind = np.dtype([("k", np.int32), ("v", np.float64)])
    records_a, records_b = np.zeros(8, kind), np.zeros(8, kind)
    records_a["v"], records_b["v"] = np.arange(8.0), -np.arange(8.0)
    out, fields = np.zeros(8), np.zeros(8)
    tails[1, 8](a, b, records_a, records_b, out, fields)
    even = np.arange(8) % 2 == 0
    np.testing.assert_array_equal(out, np.where(even, a, b) + 8)
    np.testing.assert_array_equal(fields, np.where(even, np.arange(8.0), -np.arange(8.0)))


def test_copies_and_reshapes_of_a_choice_are_each_threads_own() -> None:
    @cuda.jit
    def copies(a, b, out):
        i = cuda.grid(1)
        src = a if i % 2 == 0 else b
        mine = src.copy()
        mine[0] = i  # the thread's own copy: a and b stay as they were
        square = src.reshape((2, 2))
        out[i] = mine[0] * 100 + square[1, 1]

    a, b = np.arange(4.0), np.arange(10.0, 14.0)
    out = np.zeros(4)
    copies[1, 4](a, b, out)
    np.testing.assert_array_equal(out, [3.0, 113.0, 203.0, 313.0])
    np.testing.assert_array_equal(a, np.arange(4.0))
    np.testing.assert_array_equal(b, np.arange(10.0, 14.0))


def test_what_a_choice_cannot_do_is_refused_naming_the_line() -> None:
    @cuda.jit
    def ufunc_into_a_choice(a, b, values):
        i = cuda.grid(1)
        dst = a if i % 2 == 0 else b
        np.sin(values, dst)

    with pytest.raises(KernelRuntimeError, match="output must be an array") as caught:
        ufunc_into_a_choice[1, 4](np.zeros(4), np.zeros(4), np.zeros(4))
    assert "np.sin(values, dst)" in caught.value.source


def test_a_name_holding_an_array_in_some_threads_and_a_number_in_others_is_refused() -> None:
    @cuda.jit
    def mixed(a, out):
        i = cuda.grid(1)
        x = 0.0
        if i % 2 == 0:
            x = a
        out[i] = x

    with pytest.raises(KernelRuntimeError, match="numba gives a name one type") as caught:
        mixed[1, 4](np.zeros(4), np.zeros(4))
    assert "x = a" in caught.value.source


def test_arrays_of_different_dtypes_in_one_name_are_refused() -> None:
    @cuda.jit
    def two_types(a, b, out):
        i = cuda.grid(1)
        src = a if i % 2 == 0 else b
        out[i] = src[i]

    with pytest.raises(KernelRuntimeError, match="different types"):
        two_types[1, 4](np.zeros(4), np.zeros(4, np.int32), np.zeros(4))


@cuda.jit
def _through_a_choice(a, b, out, run):
    i = cuda.grid(1)
    if (i // run) % 2 == 0:
        src = a
    else:
        src = b
    out[i] = src[i]


@cuda.jit
def _direct(a, b, out, run):
    i = cuda.grid(1)
    if (i // run) % 2 == 0:
        value = a[i]
    else:
        value = b[i]
    out[i] = value


@pytest.mark.parametrize("run", [32, 1], ids=["whole warps agree", "lanes alternate"])
def test_memory_counters_through_a_choice_are_those_of_direct_accesses(run: int) -> None:
    metrics = []
    for kernel in (_through_a_choice, _direct):
        with profiler.profile(device="H100") as prof:
            kernel[4, 128](np.arange(512.0), -np.arange(512.0), np.zeros(512), run)
        metrics.append(prof.launches[0].metrics)
    for name in (
        "l1tex__t_sectors_pipe_lsu_mem_global_op_ld.sum",
        "l1tex__t_sectors_pipe_lsu_mem_global_op_st.sum",
        "dram__bytes_read.sum",
        "dram__bytes_write.sum",
    ):
        assert metrics[0][name] == metrics[1][name], name


def test_a_choice_runs_right_when_the_compiled_tier_is_asked_for() -> None:
    """The compiled tier leaves such a kernel to the vector engine."""
    a, b = np.arange(64.0), -np.arange(64.0)
    out = np.zeros(64)
    with config.override(tier="compiled"):
        _through_a_choice[2, 32](a, b, out, 1)
    np.testing.assert_array_equal(out, np.where(np.arange(64) % 2 == 0, a, b))
