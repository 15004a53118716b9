"""autograder/compare.py: verdicts by dtype, shape and tolerance, never through __eq__."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder.compare import Verdict, compare_array, compare_outputs
from autograder.inputs import poison
from autograder.spec import Tolerance

TIGHT = Tolerance(rtol=1e-6, atol=1e-6)


def test_equal_arrays_pass():
    expected = np.arange(6, dtype=np.float32).reshape(2, 3)
    verdict = compare_array("out", expected, expected.copy(), TIGHT)
    assert verdict == Verdict(True, "", 0.0)


def test_first_mismatch_is_named_with_both_values():
    expected = np.zeros((3, 4), np.float32)
    actual = expected.copy()
    actual[1, 2], actual[2, 0] = 0.5, -1.0
    verdict = compare_array("out", expected, actual, TIGHT)
    assert not verdict.passed and verdict.first_index == (1, 2) and verdict.mismatches == 2
    assert verdict.reason.startswith("out[1, 2]: expected 0.0, got 0.5 (error 0.5 > allowed 1e-06)")
    assert verdict.reason.endswith("2 of 12 elements are wrong")
    assert verdict.max_error == 1.0


def test_within_tolerance_passes_just_outside_fails():
    expected = np.array([100.0, 1.0])
    assert compare_array("z", expected, expected + [0.5e-4, 0.0], Tolerance(1e-6, 0.0)).passed
    assert not compare_array("z", expected, expected + [2e-4, 0.0], Tolerance(1e-6, 0.0)).passed


@pytest.mark.parametrize(
    ("expected", "actual", "passed"),
    [
        ([1.0, np.nan], [1.0, np.nan], True),
        ([1.0, 2.0], [1.0, np.nan], False),  # NaN where the reference has none
        ([1.0, np.nan], [1.0, 2.0], False),  # a number where the reference has NaN
        ([np.inf, -np.inf], [np.inf, -np.inf], True),
        ([np.inf, 1.0], [-np.inf, 1.0], False),  # the sign of an infinity matters
        ([np.inf, 1.0], [3e38, 1.0], False),  # large is not infinite
        ([1.0, 1.0], [np.inf, 1.0], False),
    ],
)
def test_nan_and_infinity(expected, actual, passed):
    expected, actual = np.array(expected, np.float32), np.array(actual, np.float32)
    verdict = compare_array("out", expected, actual, Tolerance(1.0, 1.0))
    assert verdict.passed is passed
    if not passed:
        assert verdict.reason.startswith("out[0]") or verdict.reason.startswith("out[1]")


def test_dtype_and_shape_must_match_exactly():
    expected = np.ones(4, np.float32)
    verdict = compare_array("out", expected, np.ones(4, np.float64), TIGHT)
    assert verdict.reason == "out has dtype float64, expected float32" and not verdict.passed
    verdict = compare_array("out", expected, np.ones((4, 1), np.float32), TIGHT)
    assert verdict.reason == "out has shape (4, 1), expected (4,)"
    verdict = compare_array("out", expected, np.ones(1, np.float32), TIGHT)  # no broadcasting
    assert not verdict.passed


def test_integers_compare_exactly():
    expected = np.array([1, 2, 3], np.int32)
    assert compare_array("h", expected, expected.copy(), TIGHT).passed
    verdict = compare_array("h", expected, np.array([1, 2, 4], np.int32), Tolerance(1.0, 5.0))
    assert verdict.reason == "h[2]: expected 3, got 4" and verdict.max_error == 1.0


class Sneaky(type):
    def __getattribute__(cls, name):
        if name in ("__qualname__", "__module__", "__eq__", "__ne__"):
            raise AssertionError(f"compare must not look up {name} on a submission's class")
        return super().__getattribute__(name)


class AlwaysEqual(metaclass=Sneaky):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False


class EqualArray(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(other), bool)

    def __array__(self, *args, **kwargs):
        raise AssertionError("compare must not convert a subclass")


@pytest.mark.parametrize(
    ("actual", "words"),
    [
        (AlwaysEqual(), f"{__name__}.AlwaysEqual"),
        (np.zeros(3).view(EqualArray), f"{__name__}.EqualArray"),
        (np.ma.masked_array([1.0, 2.0, 9.0], mask=[0, 0, 1]), "numpy.ma.MaskedArray"),
        ([1.0, 2.0, 3.0], "builtins.list"),
        (np.float64(1.0), "numpy.float64"),
        (None, "builtins.NoneType"),
    ],
)
def test_only_plain_ndarrays_are_accepted(actual, words):
    expected = np.array([1.0, 2.0, 3.0])
    verdict = compare_array("out", expected, actual, TIGHT)
    assert not verdict.passed
    assert verdict.reason.endswith(f"is a {words}, not a numpy.ndarray")


def test_expected_must_be_a_numeric_array():
    with pytest.raises(TypeError, match="expected out must be a numpy array"):
        compare_array("out", np.array(["a"]), np.array(["a"]), TIGHT)


def test_compare_outputs_by_name():
    expected = {"z": np.ones(2, np.float16), "n": np.array([3], np.int64)}
    verdicts = compare_outputs(expected, {"z": np.ones(2, np.float16)}, {"float16": TIGHT})
    assert list(verdicts) == ["z", "n"]
    assert verdicts["z"].passed and verdicts["n"].reason == "n was not produced"


finite_arrays = hnp.arrays(
    np.float32,
    hnp.array_shapes(max_dims=3, max_side=6),
    elements=st.floats(-1e6, 1e6, width=32),
)


@settings(max_examples=60, deadline=None)
@given(expected=finite_arrays, data=st.data())
def test_property_perturbation_within_tolerance_passes(expected, data):
    scale = data.draw(st.floats(0.0, 0.9))
    tolerance = Tolerance(1e-3, 1e-3)
    allowed = tolerance.atol + tolerance.rtol * np.abs(expected.astype(np.float64))
    actual = (expected + scale * allowed * 0.5).astype(np.float32)
    assert compare_array("out", expected, actual, tolerance).passed


@settings(max_examples=60, deadline=None)
@given(expected=finite_arrays, data=st.data())
def test_property_one_bad_element_is_found(expected, data):
    index = data.draw(st.integers(0, expected.size - 1))
    actual = expected.copy()
    actual.flat[index] = data.draw(st.sampled_from([np.nan, np.inf, 2e7]))
    verdict = compare_array("out", expected, actual, Tolerance(1e-3, 1e-3))
    assert not verdict.passed and verdict.mismatches == 1
    assert verdict.first_index == np.unravel_index(index, expected.shape)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int32", "uint8"])
def test_an_element_still_holding_the_fill_was_never_written(dtype):
    fill = poison(dtype)
    expected = np.arange(5).astype(dtype)
    actual = expected.copy()
    actual[3] = fill
    verdict = compare_array("out", expected, actual, TIGHT, fill)
    assert not verdict.passed and verdict.unwritten == 1
    assert verdict.reason == "out[3] was never written (expected 3)" or verdict.reason.startswith(
        "out[3] was never written (expected 3.0)"
    )
    assert "got nan" not in verdict.reason


def test_a_nan_fill_never_equals_a_nan_of_the_reference():
    # The reference legitimately yields NaN (e.g. 0/0); a kernel that writes nothing leaves the
    # fill, which is a NaN too: without the fill known, NaN == NaN would pass it.
    fill = poison("float32")
    expected = np.array([np.nan, 1.0], np.float32)
    untouched = np.full(2, fill, np.float32)
    verdict = compare_array("out", expected, untouched, TIGHT, fill)
    assert not verdict.passed and verdict.mismatches == 2
    assert verdict.reason == (
        "out[0] was never written (expected nan); "
        "2 of 2 elements are wrong, 2 of them never written"
    )
    assert compare_array("out", expected, np.array([np.nan, 1.0], np.float32), TIGHT, fill).passed


def test_a_written_value_equal_to_an_integer_fill_is_not_unwritten_where_expected():
    fill = poison("int32")  # the largest int32, which the reference wrote at element 0
    expected = np.array([fill, 2], np.int32)
    assert compare_array("out", expected, expected.copy(), None, fill).passed


def test_compare_outputs_passes_each_output_its_fill():
    fill = poison("float32")
    expected = {"out": np.ones(3, np.float32)}
    verdicts = compare_outputs(
        expected, {"out": np.full(3, fill)}, {"float32": TIGHT}, {"out": fill}
    )
    assert verdicts["out"].reason.startswith("out[0] was never written")
    assert not compare_outputs(expected, {"out": np.full(3, fill)}, {"float32": TIGHT})[
        "out"
    ].passed
