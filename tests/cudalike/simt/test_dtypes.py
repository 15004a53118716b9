"""Tests of cudalike/simt/dtypes.py: every spelling of an element type becomes a numpy dtype."""

import numpy as np
import pytest

from cudalike.simt.dtypes import as_numpy_dtype


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        (np.float32, np.float32),
        (np.dtype("int16"), np.int16),
        ("float32", np.float32),
        ("f8", np.float64),
        (float, np.float64),
        (int, np.int64),
        (bool, np.bool_),
        (complex, np.complex128),
    ],
)
def test_numpy_python_and_string_spellings(spelling, expected):
    assert as_numpy_dtype(spelling) == np.dtype(expected)


def test_numba_scalar_types_convert():
    numba = pytest.importorskip("numba", reason="numba's types need numba")
    assert as_numpy_dtype(numba.float32) == np.float32
    assert as_numpy_dtype(numba.int8) == np.int8
    assert as_numpy_dtype(numba.types.boolean) == np.bool_
    assert as_numpy_dtype(numba.complex64) == np.complex64


def test_numba_array_type_is_refused():
    numba = pytest.importorskip("numba", reason="numba's types need numba")
    with pytest.raises(TypeError, match=r"numba type .* has no numpy element type.*float32\[:\]"):
        as_numpy_dtype(numba.float32[:])


@pytest.mark.parametrize("bad", [None, "no-such-type", object(), 3.5])
def test_anything_else_is_a_clear_type_error(bad):
    with pytest.raises(TypeError, match=r"not an element type"):
        as_numpy_dtype(bad)


def test_object_dtype_is_refused():
    with pytest.raises(TypeError, match=r"holds Python objects, which cannot live in GPU memory"):
        as_numpy_dtype(object)
