"""`rows, cols = a.shape` (the first line of most 2-D kernels) runs compiled, with the vector
engine's values, types and reports; unpacking into the wrong number of names stays on the
vector engine, which reports it."""

import numpy as np
import pytest
from numba import float32

from cudalike import cuda
from cudalike.errors import OutOfBoundsError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import ran_compiled

pytestmark = pytest.mark.slow

TILE = 8


def transpose_tiled(x, out):
    tile = cuda.shared.array((TILE, TILE + 1), float32)
    rows, cols = x.shape
    height, width = tile.shape
    tx, ty = cuda.threadIdx.x, cuda.threadIdx.y
    row = cuda.blockIdx.y * TILE + ty
    col = cuda.blockIdx.x * TILE + tx
    if row < rows and col < cols:
        tile[ty, tx] = x[row, col] + float32(width - height)  # width - height is 1
    cuda.syncthreads()
    out_row = cuda.blockIdx.x * TILE + ty
    out_col = cuda.blockIdx.y * TILE + tx
    if out_row < cols and out_col < rows:
        out[out_row, out_col] = tile[tx, ty] * (rows // 2)  # a Python int: stays float32


def off_by_one(x, out):
    rows, cols = x.shape
    row, col = cuda.grid(2)
    if row <= rows and col < cols:
        out[row, col] = x[row, col]


def three_names_for_two_axes(x, out):
    rows, cols, depth = x.shape
    out[0, 0] = rows + cols + depth


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
def test_shape_unpacking_runs_compiled_with_the_vector_engines_result(checks):
    x = np.random.default_rng(5).random((19, 13), dtype=np.float32)
    grid = ((13 + TILE - 1) // TILE, (19 + TILE - 1) // TILE)
    results = {}
    for tier in ("vector", "compiled"):
        out = np.zeros((13, 19), np.float32)
        ran = ran_compiled(transpose_tiled, grid, (TILE, TILE), [x, out], tier, checks)
        results[tier] = (out, ran)
    assert results["compiled"][1] == 1, launcher.reasons.get("transpose_tiled")
    assert results["vector"][1] == 0
    np.testing.assert_array_equal(results["compiled"][0], results["vector"][0])
    assert results["compiled"][0].dtype == np.float32
    np.testing.assert_array_equal(results["vector"][0], (x.T + 1) * 9)


def test_a_bound_read_through_unpacked_shape_gets_the_vector_engines_report():
    x = np.ones((5, 4), np.float32)
    reports = []
    for tier in ("vector", "compiled"):
        with pytest.raises(OutOfBoundsError) as caught:
            ran_compiled(off_by_one, (1, 1), (8, 8), [x, np.zeros((5, 4), np.float32)], tier, True)
        reports.append(str(caught.value))
    assert reports[0] == reports[1]


def test_unpacking_into_more_names_than_axes_stays_on_the_vector_engine():
    x = np.ones((3, 4), np.float32)
    for tier in ("vector", "compiled"):
        with pytest.raises(Exception) as caught:
            ran_compiled(
                three_names_for_two_axes, 1, 1, [x, np.zeros((1, 1), np.int64)], tier, True
            )
        assert "three_names_for_two_axes" in str(caught.value) or "unpack" in str(caught.value)
    assert "tuple assignment" in launcher.reasons["three_names_for_two_axes"]
