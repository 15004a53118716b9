"""`a.shape[i]` with a different i per thread, and round() of float32 as numba rounds it."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelRuntimeError


def test_each_thread_reads_its_own_item_of_the_shape() -> None:
    @cuda.jit
    def kernel(grid, out):
        i = cuda.threadIdx.x
        out[i] = grid.shape[i - 2]

    out = np.zeros(4, np.int64)
    kernel[1, 4](np.zeros((3, 5)), out)
    np.testing.assert_array_equal(out, [3, 5, 3, 5])


def test_an_item_out_of_range_is_an_index_error_in_debug_mode() -> None:
    @cuda.jit(debug=True)
    def kernel(values):
        x = cuda.threadIdx.x
        if x == 2:
            values.shape[-x]

    with pytest.raises(IndexError, match="tuple index out of range"):
        kernel[1, 3](np.array([0, 1]))
    with pytest.raises(KernelRuntimeError, match=r"test_numba_shape_items\.py:\d+"):
        kernel[1, 3](np.array([0, 1]))


def test_round_of_a_float32_is_computed_in_double_precision() -> None:
    @cuda.jit("void(float32[:], float32, int32)")
    def kernel(out, value, digits):
        out[0] = round(value, digits)

    out = np.zeros(1, np.float32)
    kernel[1, 1](out, 0.3425, 3)
    assert out[0] == np.float32(0.343)
