"""With checks on, local arrays filled before any read (a nested fill of a 2-D array, a fill at
the top of a loop's body) go without written flags and give the vector engine's arrays; arrays
some read can find unfilled keep their flags and the vector engine's reports."""

import importlib.util
import inspect
from pathlib import Path

import numpy as np
import pytest
from numba import float32

from cudalike import config, cuda
from cudalike.errors import OutOfBoundsError, UninitializedReadError
from cudalike.simt.compiled import launcher

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]


def square_sums(a, out):
    # A 2-D accumulator filled by a nested loop, then updated and read.
    i = cuda.grid(1)
    acc = cuda.local.array((3, 2), float32)
    for r in range(3):
        for s in range(2):
            acc[r, s] = float32(0)
    if i < out.shape[0]:
        for k in range(a.shape[1]):
            for r in range(3):
                for s in range(2):
                    acc[r, s] += a[i, k] * float32(r + 2 * s)
        out[i] = acc[0, 0] + acc[1, 1] + acc[2, 1]


def square_in_part(a, out):
    # The nested fill misses the last column: acc[2, 1] is read unwritten.
    i = cuda.grid(1)
    acc = cuda.local.array((3, 2), float32)
    for r in range(3):
        for s in range(1):
            acc[r, s] = float32(0)
    if i < out.shape[0]:
        out[i] = acc[0, 0] + a[i, 0] + acc[2, 1]


def refilled_each_step(a, steps, out):
    # A 1-D register array filled at the top of each step, read after the fill in that step.
    i = min(cuda.grid(1), a.shape[0] - 1)
    reg = cuda.local.array(4, float32)
    total = float32(0)
    for step in range(steps):
        for r in range(4):
            reg[r] = a[i, step] * float32(r)
        for r in range(4):
            total += reg[r] * reg[3 - r]
    if cuda.grid(1) < out.shape[0]:
        out[i] = total


def refilled_then_read_after(a, steps, out):
    # As above, and a read after the loop: with no step nothing was written.
    i = min(cuda.grid(1), a.shape[0] - 1)
    reg = cuda.local.array(4, float32)
    for step in range(steps):
        for r in range(4):
            reg[r] = a[i, step]
    if cuda.grid(1) < out.shape[0]:
        out[i] = reg[1]


def reassigned_fill(a, out):
    # The fill's loop variable is overwritten: only reg[0] is written.
    i = cuda.grid(1)
    reg = cuda.local.array(4, float32)
    for r in range(4):
        r = 0
        reg[r] = float32(1)
    if i < out.shape[0]:
        out[i] = reg[2] + a[i]


def _run(function, griddim, blockdim, args, tier):
    kernel = cuda.jit(function)
    before = launcher.outcomes["compiled"]
    with config.override(tier=tier, checks=True):
        kernel[griddim, blockdim](*args)
    return kernel, launcher.outcomes["compiled"] - before


def _driver_source(kernel) -> str:
    return "".join(inspect.getsource(d.py_func) for d in launcher._drivers[kernel].values())


def _same_output(function, griddim, blockdim, make, output):
    vector = make()
    _run(function, griddim, blockdim, vector, "vector")
    compiled = make()
    kernel, runs = _run(function, griddim, blockdim, compiled, "compiled")
    assert runs == 1
    assert np.array_equal(vector[output], compiled[output])
    return _driver_source(kernel)


def _same_report(function, griddim, blockdim, make):
    reports = []
    for tier in ("vector", "compiled"):
        with config.override(tier=tier, checks=True), pytest.raises(UninitializedReadError) as e:
            cuda.jit(function)[griddim, blockdim](*make())
        reports.append(str(e.value))
    assert reports[0] == reports[1]


def test_a_2d_local_array_filled_by_a_nested_loop_needs_no_written_flags():
    a = np.random.default_rng(1).random((70, 5), dtype=np.float32)
    source = _same_output(square_sums, 2, 64, lambda: [a, np.zeros(70, np.float32)], 1)
    assert "rt.local_" not in source


def test_a_2d_local_array_filled_in_part_is_reported_as_by_the_vector_engine():
    a = np.ones((70, 5), np.float32)
    _same_report(square_in_part, 2, 64, lambda: [a, np.zeros(70, np.float32)])


def test_an_array_filled_at_the_top_of_each_step_needs_no_written_flags():
    a = np.random.default_rng(2).random((70, 6), dtype=np.float32)
    source = _same_output(refilled_each_step, 2, 64, lambda: [a, 6, np.zeros(70, np.float32)], 2)
    assert "rt.local_" not in source


def test_a_read_after_the_filling_loop_keeps_the_flags_and_the_report():
    a = np.ones((70, 6), np.float32)
    source = _same_output(
        refilled_then_read_after, 2, 64, lambda: [a, 6, np.zeros(70, np.float32)], 2
    )
    assert "rt.local_read" in source
    _same_report(refilled_then_read_after, 2, 64, lambda: [a, 0, np.zeros(70, np.float32)])


def test_a_fill_whose_loop_variable_is_reassigned_keeps_the_flags_and_the_report():
    a = np.ones(70, np.float32)
    _same_report(reassigned_fill, 2, 64, lambda: [a, np.zeros(70, np.float32)])


def _register_blocked():
    path = ROOT / "exercises" / "matmul_register_blocked" / "solution.py"
    spec = importlib.util.spec_from_file_location("register_blocked_solution", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.matmul.py_func


def test_the_register_blocked_matmul_runs_compiled_without_local_flags():
    # Shared tiles, a 2-D accumulator filled first and two register arrays filled each step;
    # sizes that are not multiples of the tile.
    rng = np.random.default_rng(3)
    a = rng.random((70, 20), dtype=np.float32)
    b = rng.random((20, 75), dtype=np.float32)
    source = _same_output(
        _register_blocked(), (2, 2), (16, 16), lambda: [a, b, np.zeros((70, 75), np.float32)], 2
    )
    assert "rt.local_" not in source


def square_past_the_end(a, out, column):
    # A filled 2-D accumulator indexed past its last column.
    i = cuda.grid(1)
    acc = cuda.local.array((3, 2), float32)
    for r in range(3):
        for s in range(2):
            acc[r, s] = float32(r)
    if i < out.shape[0]:
        out[i] = acc[1, column] + a[i, 0]


def test_a_filled_2d_local_array_indexed_out_of_bounds_is_reported_as_by_the_vector_engine():
    a = np.ones((70, 5), np.float32)
    handed_back = launcher.outcomes["handed back"]
    reports = []
    for tier in ("vector", "compiled"):
        with config.override(tier=tier, checks=True), pytest.raises(OutOfBoundsError) as e:
            cuda.jit(square_past_the_end)[2, 64](a, np.zeros(70, np.float32), 2)
        reports.append(str(e.value))
    assert reports[0] == reports[1]
    assert launcher.outcomes["handed back"] == handed_back + 1
