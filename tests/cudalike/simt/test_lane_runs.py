"""cuda.grid(1) kept as a run of lane numbers, and loads that are views of unwritten arrays:
the same values, errors and race reports as the array, with checks on and off, in one chunk
of lanes or several."""

import ast
import inspect
import math
import textwrap

import numpy as np
import pytest
from numba import float32

from cudalike import config, cuda
from cudalike.errors import OutOfBoundsError, RaceError
from cudalike.simt.name_scan import lane_run_names, written_params

N = 1024
TPB = 256


@pytest.fixture(params=[2**20, 300], ids=["one chunk", "several chunks"])
def lanes(request):
    with config.override(max_lanes=request.param):
        yield


@pytest.fixture(params=[True, False], ids=["checks on", "checks off"])
def checks(request):
    with config.override(checks=request.param):
        yield


def _function(source: str) -> ast.FunctionDef:
    return ast.parse(textwrap.dedent(source)).body[0]


def _names(kernel) -> set[str]:
    return lane_run_names(_function(inspect.getsource(kernel.py_func).split("\n", 1)[1]))


@cuda.jit
def add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i] + b[i]


@cuda.jit
def add_guarded_both_ways(a, out, n):
    i = cuda.grid(1)
    if 0 <= i and n > i:
        out[i] = a[i] * 2
    else:
        out[i] = -1.0


@cuda.jit
def uses_index_as_value(out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = i


@cuda.jit
def unguarded(a, out):
    i = cuda.grid(1)
    out[i] = a[i]


@cuda.jit
def rows(a, out):
    i = cuda.grid(1)
    row = a[i]
    out[i] = row[0] + row[1]


@cuda.jit
def neighbours_race(out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = 1.0
        out[(i + 256) % out.size] = 2.0


def test_the_names_kept_as_runs_are_only_indexed_and_compared_in_if_tests():
    assert _names(add) == {"i"}
    assert _names(add_guarded_both_ways) == {"i"}
    assert _names(uses_index_as_value) == set()
    assert _names(rows) == {"i"}
    reassigned = "def k(a):\n    i = cuda.grid(1)\n    i += 1\n    a[i] = 0\n"
    assert lane_run_names(_function(reassigned)) == set()
    as_value = "def k(a, n):\n    i = cuda.grid(1)\n    x = i < n\n    a[0] = x\n"
    assert lane_run_names(_function(as_value)) == set()


@pytest.mark.usefixtures("lanes", "checks")
@pytest.mark.parametrize("n", [N, N - 5])
def test_vector_add_matches_numpy(n):
    rng = np.random.default_rng(1)
    a, b = rng.random(n, np.float32), rng.random(n, np.float32)
    out = cuda.to_device(np.zeros(n, np.float32))
    add[-(-n // TPB), TPB](cuda.to_device(a), cuda.to_device(b), out)
    np.testing.assert_array_equal(out.copy_to_host(), a + b)


@pytest.mark.usefixtures("lanes", "checks")
def test_a_guard_that_keeps_some_lanes_out():
    a = np.arange(N, dtype=np.float32)
    out = cuda.to_device(np.zeros(N, np.float32))
    add_guarded_both_ways[N // TPB, TPB](cuda.to_device(a), out, 700)
    expected = np.where(np.arange(N) < 700, a * 2, -1)
    np.testing.assert_array_equal(out.copy_to_host(), expected)


@pytest.mark.usefixtures("lanes")
def test_out_of_bounds_is_reported_at_the_first_thread_past_the_end():
    a = cuda.to_device(np.zeros(N - 3, np.float32))
    with pytest.raises(OutOfBoundsError) as caught:
        unguarded[N // TPB, TPB](a, cuda.to_device(np.zeros(N, np.float32)))
    assert caught.value.block == (3, 0, 0) and caught.value.thread == (253, 0, 0)
    assert caught.value.element == (N - 3,)


@pytest.mark.usefixtures("lanes", "checks")
def test_rows_of_a_2d_array_at_the_grid_index():
    a = np.arange(2 * N, dtype=np.float32).reshape(N, 2)
    out = cuda.to_device(np.zeros(N, np.float32))
    rows[N // TPB, TPB](cuda.to_device(a), out)
    np.testing.assert_array_equal(out.copy_to_host(), a[:, 0] + a[:, 1])


@pytest.mark.usefixtures("lanes")
def test_a_race_between_blocks_is_still_reported():
    with pytest.raises(RaceError) as caught:
        neighbours_race[N // TPB, TPB](cuda.to_device(np.zeros(N, np.float32)))
    assert caught.value.array == "out"


# ---- loads as views: an array written under another name is not read-only -------------
def _written(source: str) -> set[str]:
    tree = _function(source)
    return written_params(tree, [a.arg for a in tree.args.args])


def test_writes_through_other_names_count_as_writes_of_the_parameter():
    assert _written("def k(a, b):\n    c = a\n    c[0] = b[0]\n") == {"a"}
    assert _written("def k(a, b):\n    t = (a, b)\n    t[1][0] = 1\n") == {"a", "b"}
    assert _written("def k(a, b):\n    v = a[1:]\n    w = v\n    w[0] = 1\n") == {"a"}
    assert _written("def k(a, b, f):\n    c = a if f else b\n    c[0] = 1\n") == {"a", "b"}
    assert _written("def k(a, b):\n    for row in a:\n        row[0] = b[0]\n") == {"a"}
    assert _written("def k(a, b):\n    c = a\n    b[0] = c[0]\n") == {"b"}


@cuda.jit
def read_then_overwrite_through_a_view(a, out):
    i = cuda.grid(1)
    x = a[i]
    v = a[0:]
    v[i] = 0.0
    out[i] = x


@pytest.mark.usefixtures("lanes", "checks")
def test_a_value_read_keeps_its_value_when_a_view_of_the_array_is_written():
    a = cuda.to_device(np.arange(N, dtype=np.float32) + 1)
    out = cuda.to_device(np.zeros(N, np.float32))
    read_then_overwrite_through_a_view[N // TPB, TPB](a, out)
    np.testing.assert_array_equal(out.copy_to_host(), np.arange(N, dtype=np.float32) + 1)
    assert not a.copy_to_host().any()


WRITTEN_AT_MODULE_LEVEL = cuda.to_device(np.zeros(N, np.float32))


@cuda.jit
def read_then_overwrite_a_module_array(a, out):
    i = cuda.grid(1)
    x = a[i]
    WRITTEN_AT_MODULE_LEVEL[i] = 0.0
    out[i] = x


@pytest.mark.usefixtures("checks")
def test_a_value_read_keeps_its_value_when_a_module_level_array_is_the_same_memory():
    WRITTEN_AT_MODULE_LEVEL.copy_to_device(np.arange(N, dtype=np.float32) + 1)
    out = cuda.to_device(np.zeros(N, np.float32))
    read_then_overwrite_a_module_array[N // TPB, TPB](WRITTEN_AT_MODULE_LEVEL, out)
    np.testing.assert_array_equal(out.copy_to_host(), np.arange(N, dtype=np.float32) + 1)


@cuda.jit
def race_through_another_name(a, out):
    i = cuda.grid(1)
    b = a
    b[i] = 1.0
    out[i] = a[(i + TPB) % a.size]


@pytest.mark.usefixtures("lanes")
def test_a_race_on_an_array_written_under_another_name_is_reported():
    a = cuda.to_device(np.zeros(N, np.float32))
    with pytest.raises(RaceError) as caught:
        race_through_another_name[N // TPB, TPB](a, cuda.to_device(np.zeros(N, np.float32)))
    assert caught.value.array == "a"


@cuda.jit
def arithmetic_stores(a, b, out_f32, out_f64, out_i32, k):
    i = cuda.grid(1)
    if i < out_f32.size:
        out_f32[i] = a[i] * 0.1
        out_f64[i] = a[i] - b[i]
        out_i32[i] = k * k
        out_f32[i] = out_f32[i] + b[i]


@pytest.mark.usefixtures("lanes", "checks")
def test_arithmetic_stores_give_numpys_numbers_whatever_the_types():
    rng = np.random.default_rng(2)
    a = rng.random(N, np.float32)
    b = rng.random(N)  # float64: a - b is float64, a * 0.1 stays float32
    outs = [np.zeros(N, np.float32), np.zeros(N, np.float64), np.zeros(N, np.int32)]
    device = [cuda.to_device(x) for x in outs]
    arithmetic_stores[N // TPB, TPB](cuda.to_device(a), cuda.to_device(b), *device, 7)
    f32, f64, i32 = (d.copy_to_host() for d in device)
    np.testing.assert_array_equal(f32, (a * 0.1 + b).astype(np.float32))
    np.testing.assert_array_equal(f64, a - b)
    np.testing.assert_array_equal(i32, np.full(N, 49, np.int32))


@cuda.jit
def arithmetic_store_race(a, out):
    i = cuda.grid(1)
    if i < out.size:
        out[(i + TPB) % out.size] = 1.0
        out[i] = a[i] * 2.0  # the element another block wrote


@pytest.mark.usefixtures("lanes")
def test_an_arithmetic_store_still_meets_the_race_check():
    with pytest.raises(RaceError) as caught:
        arithmetic_store_race[N // TPB, TPB](
            *[cuda.to_device(np.zeros(N, np.float32)) for _ in range(2)]
        )
    assert caught.value.array == "out" and "also writes" in str(caught.value)
    assert caught.value.source.strip().startswith("out[i] = a[i] * 2.0")


@cuda.jit
def add_a_constant(a, out, k):
    i = cuda.grid(1)
    out[i] = a[i] + k


@pytest.mark.usefixtures("checks")
def test_an_integer_that_does_not_fit_is_numpys_error_as_before():
    a = cuda.to_device(np.zeros(N, np.uint8))
    out = cuda.to_device(np.zeros(N, np.uint8))
    add_a_constant[N // TPB, TPB](a, out, 200)
    assert (out.copy_to_host() == 200).all()
    with pytest.raises(Exception, match="out of bounds for uint8") as caught:
        add_a_constant[N // TPB, TPB](a, out, 300)
    assert caught.value.source.strip() == "out[i] = a[i] + k"


@cuda.jit
def index_a_record(rec, out):
    i = cuda.grid(1)
    out[i] = rec[i]


def test_a_record_indexed_at_the_grid_index_names_the_lane_numbers():
    record = np.zeros(1, np.dtype([("x", np.float32), ("y", np.float32)]))[0]
    with pytest.raises(Exception, match=r"a record of 2 fields indexed with \[ 0  1  2"):
        index_a_record[1, 32](record, cuda.to_device(np.zeros(32, np.float32)))


@cuda.jit(device=True)
def zero_first(values):
    values[0] = 0.0


@cuda.jit
def calls(a, b, c, d, e, bins, out):
    i = cuda.grid(1)
    x = a[i]
    out[i] = math.sqrt(x) + float32(b[i]) + abs(c[i])
    row = d
    zero_first(row)
    cuda.atomic.add(bins, e[i], 1)


def test_what_calls_may_write_math_casts_built_ins_nothing_atomics_their_array():
    calls.compile()
    assert calls._functions_lowered[0][1].written_params == {"d", "bins", "out"}
