"""Slicing inside kernels: views of the same memory, with checks kept, as numba.cuda has them."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import (
    KernelRuntimeError,
    OutOfBoundsError,
    RaceError,
    UnsupportedConstructError,
)


def test_slices_of_dynamic_shared_memory_share_its_storage() -> None:
    @cuda.jit
    def kernel(out):
        dynsmem = cuda.shared.array(0, dtype=np.int32)
        first = dynsmem[0:2]
        second = dynsmem[1:3]
        first[0] = 10
        first[1] = 20
        second[1] = 30
        out[0] = dynsmem[0]
        out[1] = second[0]
        out[2] = dynsmem[2]
        out[3] = len(second)

    out = np.zeros(4, np.int32)
    kernel[1, 1, 0, 4 * 4](out)
    np.testing.assert_array_equal(out, [10, 20, 30, 2])


@pytest.mark.parametrize("spec", ["::2", "-1::-2", "3:1:-1"])
def test_steps_and_reverse_slices_index_as_numpy(spec) -> None:
    start, stop, step = (int(p) if p else None for p in spec.split(":"))

    @cuda.jit
    def kernel(x, out):
        view = x[start:stop:step]
        for k in range(len(view)):
            out[k] = view[k]

    x = np.arange(8.0)
    expected = x[start:stop:step]
    out = np.full(8, -1.0)
    kernel[1, 1](x, out)
    np.testing.assert_array_equal(out[: expected.size], expected)


def test_a_row_slice_per_thread_passed_to_a_device_function() -> None:
    @cuda.jit(device=True)
    def copy_row(source, target):
        for k in range(source.size):
            target[k] = source[k] * 2

    @cuda.jit
    def kernel(inp, out):
        i = cuda.grid(1)
        if i < inp.shape[0]:
            copy_row(inp[i, :], out[i, 1:])

    inp = np.arange(12.0).reshape(4, 3)
    out = np.zeros((4, 4))
    kernel[1, 4](inp, out)
    np.testing.assert_array_equal(out[:, 1:], inp * 2)


def test_reading_past_the_end_of_a_slice_is_out_of_bounds() -> None:
    @cuda.jit
    def kernel(x, out):
        view = x[2:4]
        out[0] = view[2]

    with pytest.raises(OutOfBoundsError):
        kernel[1, 1](np.arange(8.0), np.zeros(1))


def test_per_thread_slices_of_different_lengths_are_bounded_per_thread() -> None:
    @cuda.jit
    def kernel(x, out):
        i = cuda.grid(1)
        tail = x[i:]
        out[i] = tail[0] + tail[7 - i]

    out = np.zeros(8)
    kernel[1, 8](np.arange(8.0), out)
    np.testing.assert_array_equal(out, np.arange(8.0) + 7)

    @cuda.jit
    def past_the_end(x, out):
        i = cuda.grid(1)
        tail = x[i:]
        out[i] = tail[8 - i]

    with pytest.raises(OutOfBoundsError, match="this thread's slice has length 8"):
        past_the_end[1, 4](np.arange(8.0), np.zeros(4))


def test_the_shape_of_slices_of_different_lengths_is_refused() -> None:
    @cuda.jit
    def kernel(x, out):
        i = cuda.grid(1)
        out[i] = x[i:].shape[0]

    with pytest.raises(KernelRuntimeError, match="differ in length"):
        kernel[1, 4](np.arange(8.0), np.zeros(4))


def test_compare_and_swap_on_a_tail_slice() -> None:
    @cuda.jit
    def kernel(res, old, values, fill):
        gid = cuda.grid(1)
        if gid < res.size:
            old[gid] = cuda.atomic.compare_and_swap(res[gid:], fill, values[gid])

    res = np.array([0, 5, 0, 5], np.int32)
    old = np.zeros(4, np.int32)
    kernel[1, 8](res, old, np.array([1, 2, 3, 4], np.int32), 0)
    np.testing.assert_array_equal(res, [1, 5, 3, 5])
    np.testing.assert_array_equal(old, [0, 5, 0, 5])


def test_assigning_to_a_slice_is_refused_naming_the_line() -> None:
    def kernel(x):
        x[0:2] = 1

    with pytest.raises(UnsupportedConstructError, match="assignment to a slice"):
        cuda.jit(kernel)


def test_a_slice_passed_to_a_device_function_keeps_global_race_checks() -> None:
    @cuda.jit(device=True)
    def write_first(target):
        target[0] = cuda.threadIdx.x

    @cuda.jit
    def kernel(out):
        write_first(out[1:])

    with pytest.raises(RaceError):
        kernel[1, 64](np.zeros(4))
