"""Record dtypes in kernels: fields read and written in place, as numba passes records."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import KernelRuntimeError

RECORD = np.dtype(
    [("a", np.float64), ("b", np.int32), ("h", np.float32, 2), ("s", "U6")], align=True
)


def records() -> np.ndarray:
    values = np.zeros(3, RECORD)
    values["b"] = [1, 2, 3]
    values["h"] = [[1, 2], [3, 4], [5, 6]]
    return values


def test_fields_of_array_elements_are_read_and_written_by_attribute_and_by_name() -> None:
    @cuda.jit
    def kernel(values, out):
        i = cuda.grid(1)
        if i < values.size:
            values[i].a = values[i].b * 2
            values[i]["h"][1] = 7.0
            out[i] = values[i].h[0]

    values, out = records(), np.zeros(3)
    kernel[1, 3](values, out)
    np.testing.assert_array_equal(values["a"], [2.0, 4.0, 6.0])
    np.testing.assert_array_equal(values["h"][:, 1], [7.0, 7.0, 7.0])
    np.testing.assert_array_equal(out, [1.0, 3.0, 5.0])


def test_a_whole_record_is_copied_and_a_string_field_assigned() -> None:
    @cuda.jit
    def kernel(values):
        values[2] = values[0]
        values[1].s = "XYZ"

    values = records()
    expected = values.copy()
    expected[2] = expected[0]
    expected[1]["s"] = "XYZ"
    kernel[1, 1](values)
    np.testing.assert_array_equal(values, expected)


def test_a_record_argument_is_passed_by_reference() -> None:
    @cuda.jit
    def kernel(record, value):
        record.b = value
        record.h[0] = 9
        record["a"] = record.h[1]

    values = records()
    kernel[1, 1](values[0], 5)
    assert values[0]["b"] == 5 and values[0]["a"] == 2.0
    np.testing.assert_array_equal(values[0]["h"], [9.0, 2.0])
    np.testing.assert_array_equal(values[1:], records()[1:])


def test_an_array_field_is_assigned_from_an_array() -> None:
    nested = np.dtype([("array", np.int16, (3, 2))], align=True)

    @cuda.jit
    def kernel(record, source):
        record["array"] = source

    values = np.zeros(2, nested)
    source = np.arange(6, dtype=np.int16).reshape(3, 2)
    kernel[1, 1](values[0], source)
    np.testing.assert_array_equal(values[0]["array"], source)
    np.testing.assert_array_equal(values[1]["array"], 0)


def test_an_unknown_field_is_a_runtime_error_listing_the_fields() -> None:
    @cuda.jit
    def kernel(values):
        values[0].missing = 1

    with pytest.raises(
        KernelRuntimeError, match=r"(?s)test_numba_records\.py:\d+.*its fields: a, b"
    ):
        kernel[1, 1](records())


def test_a_misaligned_array_field_is_a_clear_error() -> None:
    packed = np.dtype([("c", np.int8), ("h", np.float32, 2)])  # h at byte offset 1

    @cuda.jit
    def kernel(values, out):
        out[0] = values[0].h[0]

    with pytest.raises(KernelRuntimeError, match="not aligned to its element type"):
        kernel[1, 1](np.zeros(1, packed), np.zeros(1))


def test_a_record_indexed_by_position_reads_that_field() -> None:
    @cuda.jit(device=True)
    def first(values):
        return values[0]

    @cuda.jit
    def kernel(record, out):
        out[0] = first(record)

    out = np.zeros(1, np.int32)
    values = records()
    kernel[1, 1](values[1], out)
    assert out[0] == 0.0  # field 'a' of record 1
    values[1]["a"] = 4.5
    kernel[1, 1](values[1], out)
    assert out[0] == 4
