"""numpy-loop math calls of a jammed group made as one call over the group's threads
(batched_calls.py): the vector engine's arrays bit for bit and its reports, checks on and off;
statements whose operands are evaluated only sometimes are left unbatched."""

import inspect
import math

import numpy as np
import pytest
from numba import float32

from cudalike import cuda
from cudalike.errors import OutOfBoundsError
from cudalike.simt.compiled import batched_calls, launcher
from tests.cudalike.compiled.tiers import compare_tiers

pytestmark = pytest.mark.slow


def row_exp_sum(x, out):
    # A carried sum of exps (the softmax's denominator), a row per thread.
    i = cuda.grid(1)
    if i < x.shape[0]:
        total = float32(0)
        for j in range(x.shape[1]):
            total += math.exp(x[i, j] - float32(0.5))
        out[i] = total


def row_tanh(x, out):
    # No carried variable: jammed for its calls alone.
    i = cuda.grid(1)
    if i < x.shape[0]:
        for j in range(x.shape[1]):
            out[i, j] = math.tanh(x[i, j]) * float32(2)


def strided_atan2(x, y, out):
    # Two operands, float64, a grid-stride loop of different starts.
    start = cuda.grid(1)
    for k in range(start, x.size, cuda.gridsize(1)):
        out[k] = math.atan2(y[k], x[k]) + math.log(x[k] + 1.0)


def guarded_exp(x, out):
    # A call under a ternary: evaluated only sometimes, so not batched.
    i = cuda.grid(1)
    if i < x.shape[0]:
        acc = float32(0)
        for j in range(x.shape[1]):
            acc += math.exp(x[i, j]) if x[i, j] > float32(0.3) else float32(0)
        out[i] = acc


def exp_past_the_end(x, out):
    # Each thread reads one element past its row's end on its last iteration.
    i = cuda.grid(1)
    if i < x.shape[0]:
        total = float32(0)
        for j in range(x.shape[1] + 1):
            total += math.exp(x[i, j] * float32(0.01))
        out[i] = total


def _rows(dtype=np.float32, rows=100, cols=80):
    def make(rng):
        x = (rng.random((rows, cols)) * 6 - 3).astype(dtype)
        return [x, np.zeros(rows, dtype)]

    return make


def _same_shape(rng):
    x = (rng.random((100, 80)) * 6 - 3).astype(np.float32)
    return [x, np.zeros_like(x)]


def _pairs(rng):
    x = rng.random(3001) + 0.25
    y = rng.random(3001) - 0.5
    return [x, y, np.zeros(3001)]


CASES = {
    "exp sum": (row_exp_sum, (2, 64), _rows(), "uf.call1n("),
    "tanh, nothing carried": (row_tanh, (2, 64), _same_shape, "uf.call1n("),
    "atan2 and log, float64": (strided_atan2, (4, 64), _pairs, "uf.call2n("),
}


def _source(kernel) -> str:
    return "".join(inspect.getsource(d.py_func) for d in launcher._drivers[kernel].values())


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
@pytest.mark.parametrize("case", list(CASES))
def test_batched_calls_match_the_vector_engine(case, checks):
    function, (grid, block), make, marker = CASES[case]
    kernel = cuda.jit(function)
    _, counts, _ = compare_tiers(kernel, grid, block, make, checks, Exception)
    assert counts.get("compiled") == 1
    if not checks or function is row_exp_sum:  # with checks, a written global is not jammed
        assert marker in _source(kernel)


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
def test_a_call_evaluated_only_sometimes_is_not_batched(checks):
    kernel = cuda.jit(guarded_exp)
    _, counts, _ = compare_tiers(kernel, 2, 64, _rows(), checks, Exception)
    assert counts.get("compiled") == 1
    assert "call1n" not in _source(kernel) and "uf.call1(" in _source(kernel)


@pytest.mark.parametrize("checks", [True, False], ids=["checks", "no-checks"])
def test_an_out_of_bounds_read_in_a_batched_operand_is_reported_as_before(checks):
    kernel = cuda.jit(exp_past_the_end)
    error, counts, _ = compare_tiers(kernel, 2, 64, _rows(), checks, OutOfBoundsError)
    assert error is not None and counts.get("handed back") == 1


def test_a_line_is_split_into_its_calls_and_their_operands():
    name = "'cudalike_numpy_loop_arctan2_d'"
    line = f"v0_s = (uf.call2({name}, p_y[rt.bound(v0_k, n)], f(a, (b))) + uf.call1('l_d', z)) * 2"
    calls = batched_calls._calls(line)
    assert [(n, operands) for _, n, operands in calls] == [
        (name, ["p_y[rt.bound(v0_k, n)]", "f(a, (b))"]),
        ("'l_d'", ["z"]),
    ]
    (start, end), (second, last) = (span for span, _, _ in calls)
    assert line[:start] + "A" + line[end:second] + "B" + line[last:] == "v0_s = (A + B) * 2"


@pytest.mark.parametrize(
    "line",
    [
        "v0_s = uf.call1('cudalike_numpy_loop_exp_f', uf.call1('cudalike_numpy_loop_exp_f', x))",
        "v0_s = uf.call1('cudalike_numpy_loop_exp_f', x) if c else y",
        "v0_s = c and uf.call1('cudalike_numpy_loop_exp_f', x)",
        "v0_s = x + 1",
        " + ".join(["v0_s = 0"] + ["uf.call1('l_f', x)"] * (batched_calls.MOST_CALLS + 1)),
    ],
)
def test_lines_not_batched(line):
    assert batched_calls._calls(line) == []


def test_interleave_keeps_each_threads_order_and_leaves_blocks_whole():
    copies = [
        [
            f"v{u}_a = {u}",
            f"if v{u}_a:",
            f"    v{u}_b = uf.call1('l_exp_f', v{u}_a)",
            f"v{u}_c = uf.call1('l_exp_f', v{u}_a)",
        ]
        for u in range(2)
    ]
    assert batched_calls.interleave(copies) == [
        "v0_a = 0",
        "v1_a = 1",
        "if v0_a:",
        "    v0_b = uf.call1('l_exp_f', v0_a)",
        "if v1_a:",
        "    v1_b = uf.call1('l_exp_f', v1_a)",
        "jam_x_f[0] = v0_a",
        "jam_x_f[1] = v1_a",
        "uf.call1n('l_exp_f', jam_x_f, jam_out0_f, 2)",
        "v0_c = jam_out0_f[0]",
        "v1_c = jam_out0_f[1]",
    ]
    assert batched_calls.interleave([["v0_a = 1"], ["v1_a = 1"]]) is None
