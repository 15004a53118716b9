"""Kernels whose contiguous axis is indexed by y run their threads y fastest, with the vector
engine's arrays and reports; a kernel whose atomics' order matters keeps x fastest."""

import numpy as np
import pytest
from numba import float32

from cudalike import config, cuda
from cudalike.errors import OutOfBoundsError, RaceError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.test_uniform import _driver_source

pytestmark = pytest.mark.slow


def column_stencil(a, out):
    row, col = cuda.grid(2)
    if 0 < row < a.shape[0] - 1 and 0 < col < a.shape[1] - 1:
        out[row, col] = float32(0.25) * (
            a[row - 1, col] + a[row + 1, col] + a[row, col - 1] + a[row, col + 1]
        )


def tile_neighbours(a, out):
    # Threads read a neighbour's shared element after the barrier (y is the row of the tile).
    tile = cuda.shared.array((8, 8), float32)
    x = cuda.threadIdx.x
    y = cuda.threadIdx.y
    tile[x, y] = a[cuda.blockIdx.x * 8 + x, y]
    cuda.syncthreads()
    out[cuda.blockIdx.x * 8 + x, y] = tile[x, (y + 1) % 8] - tile[(x + 1) % 8, y]


def racy_tile(out):
    tile = cuda.shared.array((4, 4), float32)
    x = cuda.threadIdx.x
    y = cuda.threadIdx.y
    tile[x, y] = float32(x)
    out[x, y] = tile[x, (y + 1) % 4]  # no barrier between the write and the read


def ordered_sums(a, out):
    x, y = cuda.grid(2)
    cuda.atomic.add(out, 0, a[x, y])  # float sums depend on the order


def _launch(function, grid, block, args, tier, checks=True):
    kernel = cuda.jit(function)
    before = launcher.outcomes["compiled"]
    with config.override(tier=tier, checks=checks):
        kernel[grid, block](*args)
    return kernel, launcher.outcomes["compiled"] - before


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
@pytest.mark.parametrize(
    "function, grid, block, shape",
    [(column_stencil, (4, 3), (8, 8), (32, 24)), (tile_neighbours, 3, (8, 8), (24, 8))],
)
def test_y_fastest_kernels_match_the_vector_engine(function, grid, block, shape, checks):
    a = np.random.default_rng(5).random(shape, dtype=np.float32)
    vector = np.zeros(shape, np.float32)
    compiled = np.zeros(shape, np.float32)
    _launch(function, grid, block, [a, vector], "vector", checks)
    kernel, runs = _launch(function, grid, block, [a, compiled], "compiled", checks)
    assert runs == 1 and np.array_equal(vector, compiled)
    assert "for tx in range(bdx):\n                for ty in range(bdy):" in _driver_source(kernel)


def test_a_race_in_y_fastest_order_is_reported_as_by_the_vector_engine():
    reports = []
    for tier in ("vector", "compiled"):
        with config.override(tier=tier), pytest.raises(RaceError) as error:
            cuda.jit(racy_tile)[1, (4, 4)](np.zeros((4, 4), np.float32))
        reports.append(str(error.value))
    assert reports[0] == reports[1]


def test_a_fault_in_y_fastest_order_is_reported_as_by_the_vector_engine():
    reports = []
    for tier in ("vector", "compiled"):
        with config.override(tier=tier), pytest.raises(OutOfBoundsError) as error:
            cuda.jit(column_stencil)[(2, 2), (8, 8)](
                np.zeros((20, 8), np.float32), np.zeros((8, 20), np.float32)
            )
        reports.append(str(error.value))
    assert reports[0] == reports[1]


def test_atomics_whose_order_matters_keep_x_fastest():
    a = np.random.default_rng(6).random((16, 16), dtype=np.float32)
    vector = np.zeros(1, np.float32)
    compiled = np.zeros(1, np.float32)
    _launch(ordered_sums, (2, 2), (8, 8), [a, vector], "vector")
    kernel, runs = _launch(ordered_sums, (2, 2), (8, 8), [a, compiled], "compiled")
    assert runs == 1 and np.array_equal(vector, compiled)
    assert "for ty in range(bdy):\n                for tx in range(bdx):" in _driver_source(kernel)
