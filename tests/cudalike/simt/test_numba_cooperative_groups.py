"""`cuda.cg.this_grid()` and `g.sync()` in kernels: a barrier across every block of the grid."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import UnsupportedConstructError


def test_grid_sync_orders_rows_written_by_different_blocks() -> None:
    @cuda.jit
    def sequential_rows(rows):
        col = cuda.grid(1)
        grid = cuda.cg.this_grid()
        for row in range(1, rows.shape[0]):
            opposite = rows.shape[1] - col - 1
            rows[row, col] = rows[row - 1, opposite] + 1
            grid.sync()

    rows = np.zeros((16, 256), np.int32)
    sequential_rows[4, 64](rows)
    expected = np.arange(16, dtype=np.int32)[:, None] * np.ones((1, 256), np.int32)
    np.testing.assert_array_equal(rows, expected)


def test_this_grid_alone_and_sync_on_the_call_result_are_accepted() -> None:
    @cuda.jit
    def kernel(out):
        cuda.cg.this_grid()
        cuda.cg.this_grid().sync()
        if cuda.grid(1) == 0:
            out[0] = 1.0

    out = np.zeros(1)
    kernel[2, 32](out)
    assert out[0] == 1.0


def test_other_methods_are_refused_naming_the_line() -> None:
    @cuda.jit
    def kernel(out):
        cuda.cg.this_grid().wait()

    with pytest.raises(UnsupportedConstructError, match=r"test_numba_cooperative_groups\.py:\d+"):
        kernel[1, 1](np.zeros(1))
