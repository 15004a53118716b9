"""Chained indexing `a[i][j]` of global, shared and local arrays runs compiled as `a[i, j]`,
with the vector engine's arrays and reports, checks on and off."""

import numpy as np
import pytest
from numba import float32, int32

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers

pytestmark = pytest.mark.slow
CHECKS = pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
WEIGHTS = np.array([[1, 2, 3], [4, 5, 6]])  # a global array, read without const.array_like


def scale_rows(a, out):
    i, j = cuda.grid(2)
    if i < a.shape[0] and j < a.shape[1]:
        out[i][j] = a[i][j] * 2 + i


def transpose_tile(a, out):
    tile = cuda.shared.array((8, 9), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    tile[ty][tx] = a[cuda.blockIdx.y * 8 + ty][cuda.blockIdx.x * 8 + tx]
    cuda.syncthreads()
    out[cuda.blockIdx.x * 8 + ty][cuda.blockIdx.y * 8 + tx] = tile[tx][ty]


def cube_sums(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        counts = cuda.local.array((2, 2), int32)
        for p in range(2):
            for q in range(2):
                counts[p][q] = 0
        for j in range(a.shape[1]):
            for k in range(a.shape[2]):
                counts[j % 2][k % 2] += a[i][j][k]
        out[i] = counts[0][0] - counts[1][1]


def shifted_store(a, out):
    i, j = cuda.grid(2)
    if i < a.shape[0] and j < a.shape[1]:
        out[i][j] = a[i][j]
        out[i][j + 1] = a[i][j]  # past the end of the row at the last column


def tuple_weights(out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = WEIGHTS[i % 2][i % 3]


def _run(function, grid, block, make_args, checks):
    return compare_tiers(cuda.jit(function), grid, block, make_args, checks, KernelError)


@CHECKS
def test_chained_indices_name_the_elements_of_global_shared_and_local_arrays(checks):
    def images(rng):
        return [rng.standard_normal((20, 30)).astype(np.float32), np.zeros((20, 30), np.float32)]

    def squares(rng):
        return [rng.standard_normal((24, 24)).astype(np.float32), np.zeros((24, 24), np.float32)]

    def cubes(rng):
        return [rng.integers(-9, 9, (40, 3, 5), dtype=np.int32), np.zeros(40, np.int32)]

    for function, grid, block, make in [
        (scale_rows, (3, 4), (8, 8), images),
        (transpose_tile, (3, 3), (8, 8), squares),
        (cube_sums, 2, 32, cubes),
    ]:
        _, counts, arrays = _run(function, grid, block, make, checks)
        assert counts.get("compiled", 0) == 1, launcher.reasons.get(function.__name__)
    a, out = arrays
    assert (out == a[:, 0::2, 0::2].sum(axis=(1, 2)) - a[:, 1::2, 1::2].sum(axis=(1, 2))).all()


def test_a_chained_store_past_the_end_gets_the_vector_engines_report_and_arrays():
    def make(rng):
        return [rng.standard_normal((8, 6)), np.zeros((8, 6))]

    error, counts, _ = _run(shifted_store, (1, 1), (8, 8), make, True)
    assert error is not None and counts.get("handed back", 0) == 1


def test_a_global_array_that_is_no_kernel_array_is_left_as_it_is():
    _, counts, (out,) = _run(tuple_weights, 1, 32, lambda rng: [np.zeros(32, np.int64)], True)
    assert counts.get("compiled", 0) == 0
    assert [out[i] for i in range(4)] == [1, 5, 3, 4]
