"""Kernels whose threads run y fastest run their blocks y fastest too; the arrays, the reports
and the loop budget stay the vector engine's, whose chunks follow x-fastest block order."""

import numpy as np
import pytest
from numba import float32

from cudalike import config, cuda
from cudalike.errors import (
    KernelRuntimeError,
    OutOfBoundsError,
    RaceError,
    RunawayKernelError,
)
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.test_thread_order import column_stencil, ordered_sums
from tests.cudalike.compiled.test_uniform import _driver_source

pytestmark = pytest.mark.slow

Y_FASTEST_BLOCKS = "    for run in range(blocks):\n        by = run % gdy\n"
X_FASTEST_BLOCKS = "    for blk in range(blocks):\n        bx = blk % gdx\n"


def block_coordinates(out):
    # Each thread stores, then reads back and doubles, its own element: a race check that
    # took the writer for another block's thread would hand the launch back.
    row, col = cuda.grid(2)
    z = cuda.blockIdx.z
    out[z, row, col] = cuda.blockIdx.x * 10000 + cuda.blockIdx.y * 100 + z
    out[z, row, col] = out[z, row, col] * 2 + cuda.threadIdx.x


def transposed_copy(a, out):
    col, row = cuda.grid(2)  # x picks the column: already row-major in x-fastest order
    if row < a.shape[0] and col < a.shape[1]:
        out[row, col] = a[row, col]


def read_before_or_after_write(out, writer, reader):
    # Thread (0, 0) of block `writer` writes out[0, 1]; thread (0, 0) of block `reader` reads
    # it: a race between blocks whichever of the two runs first.
    row, col = cuda.grid(2)
    block = cuda.blockIdx.x * 10 + cuda.blockIdx.y
    if cuda.threadIdx.x == 0 and cuda.threadIdx.y == 0:
        if block == writer:
            out[0, 1] = float32(1)
        if block == reader:
            out[row, col] = out[0, 1] + float32(1)


def past_the_end_in_two_blocks(out):
    # Blocks (1, 0) and (0, 1) both store past the end: the vector engine meets (1, 0) first,
    # the y-fastest order (0, 1).
    row, col = cuda.grid(2)
    if cuda.blockIdx.x + cuda.blockIdx.y == 1:
        out[row + out.shape[0], col] = float32(1)
    else:
        out[row, col] = float32(2)


def block_loops(trips, out):
    # Each block's threads loop trips[bx, by] times.
    row, col = cuda.grid(2)
    acc = 0
    for i in range(trips[cuda.blockIdx.x, cuda.blockIdx.y]):
        acc += i - i + 1
    out[row, col] = acc


def _launch(function, grid, block, args, tier, **settings):
    """Run the kernel; (kernel, compiled runs, handed-back runs)."""
    kernel = cuda.jit(function)
    before = dict(launcher.outcomes)
    with config.override(tier=tier, **settings):
        kernel[grid, block](*args)
    return tuple(
        [kernel] + [launcher.outcomes[k] - before.get(k, 0) for k in ("compiled", "handed back")]
    )


def _reports(function, grid, block, make, error, **settings) -> list[str]:
    """The report of each tier; the compiled tier must have started and handed back."""
    reports = []
    for tier in ("vector", "compiled"):
        before = launcher.outcomes["handed back"]
        with config.override(tier=tier, **settings), pytest.raises(error) as raised:
            cuda.jit(function)[grid, block](*make())
        reports.append(str(raised.value))
    assert launcher.outcomes["handed back"] == before + 1
    return reports


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
def test_row_major_blocks_run_y_fastest_with_the_vector_engine_arrays(checks):
    vector = np.zeros((2, 24, 40), np.int64)
    compiled = np.zeros((2, 24, 40), np.int64)
    _launch(block_coordinates, (3, 5, 2), (8, 8), [vector], "vector", checks=checks)
    kernel, runs, handed_back = _launch(
        block_coordinates, (3, 5, 2), (8, 8), [compiled], "compiled", checks=checks
    )
    assert (runs, handed_back) == (1, 0)
    assert np.array_equal(vector, compiled)
    assert Y_FASTEST_BLOCKS in _driver_source(kernel)


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
def test_the_stencil_runs_its_blocks_y_fastest(checks):
    a = np.random.default_rng(7).random((40, 56), dtype=np.float32)
    vector = np.zeros_like(a)
    compiled = np.zeros_like(a)
    _launch(column_stencil, (5, 7), (8, 8), [a, vector], "vector", checks=checks)
    kernel, runs, _ = _launch(
        column_stencil, (5, 7), (8, 8), [a, compiled], "compiled", checks=checks
    )
    assert runs == 1 and np.array_equal(vector, compiled)
    assert Y_FASTEST_BLOCKS in _driver_source(kernel)


def test_x_major_kernels_and_ordered_atomics_keep_x_fastest_blocks():
    a = np.random.default_rng(8).random((16, 24), dtype=np.float32)
    kernel, runs, _ = _launch(
        transposed_copy, (3, 2), (8, 8), [a, np.zeros_like(a)], "compiled", checks=True
    )
    assert runs == 1 and X_FASTEST_BLOCKS in _driver_source(kernel)
    kernel, runs, _ = _launch(
        ordered_sums, (2, 2), (8, 8), [a[:, :16].copy(), np.zeros(1, np.float32)], "compiled"
    )
    assert runs == 1 and X_FASTEST_BLOCKS in _driver_source(kernel)


@pytest.mark.parametrize("writer, reader", [(10, 1), (1, 10)], ids=["write-first", "read-first"])
def test_a_race_between_blocks_is_reported_in_either_order(writer, reader):
    # Blocks (1, 0) (number 10) and (0, 1) (number 1) run in opposite orders in the two tiers.
    reports = _reports(
        read_before_or_after_write,
        (2, 2),
        (4, 4),
        lambda: [np.zeros((8, 8), np.float32), writer, reader],
        RaceError,
    )
    assert reports[0] == reports[1]


@pytest.mark.parametrize(
    "checks, error",
    [(True, OutOfBoundsError), (False, KernelRuntimeError)],
    ids=["checks", "no-checks"],
)
def test_the_first_fault_in_vector_order_is_reported(checks, error):
    # With checks off the vector engine reports numpy's IndexError for the whole chunk.
    reports = _reports(
        past_the_end_in_two_blocks,
        (2, 2),
        (4, 4),
        lambda: [np.zeros((8, 8), np.float32)],
        error,
        checks=checks,
    )
    assert reports[0] == reports[1]
    assert not checks or "block (1, 0, 0)" in reports[0]


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
def test_the_loop_budget_folds_the_vector_engine_chunks(checks):
    # Blocks of 16 threads, chunks of 2 blocks: (0, 0) with (1, 0), and (0, 1) with (1, 1).
    # The vector engine counts 6 + 6 iterations; chunks taken in y-fastest order ((0, 0) with
    # (0, 1)) would count 6 + 1, inside a budget of 10.
    settings = {"checks": checks, "max_lanes": 32, "loop_budget": 10}
    over = np.array([[6, 6], [1, 1]], np.int64)
    reports = _reports(
        block_loops,
        (2, 2),
        (4, 4),
        lambda: [over, np.zeros((8, 8), np.int64)],
        RunawayKernelError,
        **settings,
    )
    assert reports[0] == reports[1]
    # Transposed, the vector engine counts 6 + 1 and finishes; so does the compiled tier.
    under = over.T.copy()
    vector = np.zeros((8, 8), np.int64)
    compiled = np.zeros((8, 8), np.int64)
    _launch(block_loops, (2, 2), (4, 4), [under, vector], "vector", **settings)
    kernel, runs, _ = _launch(
        block_loops, (2, 2), (4, 4), [under, compiled], "compiled", **settings
    )
    assert runs == 1 and np.array_equal(vector, compiled)
    assert Y_FASTEST_BLOCKS in _driver_source(kernel)
