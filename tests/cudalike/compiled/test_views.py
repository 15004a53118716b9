"""Views of part of an array (`row = a[i]`, then `row[j]`, `row.shape[0]`, `len(row)`) run
compiled, written on the array itself (`a[i, j]`), with the vector engine's arrays and
reports; views used any other way, or that may name another part where they are used, stay on
the vector engine."""

import numpy as np
import pytest
from numba import float32

from cudalike import cuda
from cudalike.errors import KernelError
from cudalike.simt.compiled import launcher
from tests.cudalike.compiled.tiers import compare_tiers, how_it_ran

pytestmark = pytest.mark.slow


def row_sums(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        row = a[i]
        s = float32(0)
        for j in range(row.shape[0]):
            s += row[j]
        out[i] = s


def normalise_rows(a):
    i = cuda.grid(1)
    if i < a.shape[0]:
        row = a[i]
        total = float32(0)
        for j in range(len(row)):
            total += abs(row[j])
        for j in range(len(row)):
            row[j] = row[j] / total


def plane_and_row(v, out):
    i = cuda.grid(1)
    if i < v.shape[0]:
        plane = v[i]
        first = v[i, 0]
        out[i] = plane[1, 2] + first[plane.shape[1] - 1] + plane.shape[0]


def unguarded(a, out):
    i = cuda.grid(1)
    row = a[i]  # threads past the last row index past it
    out[i % out.size] = row[0]


def reassigned(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        row = a[i]
        if i > 3:
            row = a[i - 1]
        out[i] = row[0]


def handed_to_an_atomic(a, out):
    i = cuda.grid(1)
    if i < a.shape[0]:
        row = a[i]
        cuda.atomic.add(row, 0, 1.0)
        out[i] = row[0]


def _rows(rng, width=7):
    return [rng.standard_normal((50, width)).astype(np.float32), np.zeros(50, np.float32)]


def _planes(rng):
    return [rng.standard_normal((40, 3, 4)).astype(np.float32), np.zeros(40, np.float32)]


CASES = [
    (row_sums, _rows),
    (row_sums, lambda rng: _rows(rng, width=0)),  # no first element: handed back
    (normalise_rows, lambda rng: _rows(rng)[:1]),
    (plane_and_row, _planes),
]


@pytest.mark.parametrize("checks", [True, False])
@pytest.mark.parametrize("function, make", CASES, ids=["sums", "empty-rows", "normalise", "planes"])
def test_a_view_is_written_on_its_array(function, make, checks):
    error, counts, _ = compare_tiers(cuda.jit(function), 2, 32, make, checks, KernelError)
    assert error is None
    empty = make(np.random.default_rng(0))[0].shape[1] == 0
    assert how_it_ran(counts) == ("handed back" if empty else "compiled")


@pytest.mark.parametrize("checks", [True, False])
def test_a_view_out_of_range_is_reported_as_the_vector_engine_reports_it(checks):
    error, counts, _ = compare_tiers(cuda.jit(unguarded), 2, 32, _rows, checks, KernelError)
    assert error is not None
    assert how_it_ran(counts) == "handed back"


@pytest.mark.parametrize("function", [reassigned, handed_to_an_atomic])
def test_other_views_stay_on_the_vector_engine(function):
    error, counts, _ = compare_tiers(cuda.jit(function), 2, 32, _rows, True, KernelError)
    assert how_it_ran(counts) == "vector"
    assert launcher.reasons[function.__name__]
