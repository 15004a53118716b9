"""Compare a submission's outputs with the reference's: exact dtype and shape, then values.

The grader computed the expected arrays itself; what it checks against them may have been
shaped by a submission, so it is trusted for nothing:
1. it must be exactly a `numpy.ndarray` (`type(x) is np.ndarray`: no subclass, no object that
   merely looks like one); only then is it converted with `np.asarray`;
2. its dtype and shape must equal the reference's, without casting or broadcasting;
3. values are compared by numpy ufuncs on the raw numbers, never through any object's
   `__eq__`: integers exactly, floats within the dtype's tolerance
   (|actual - expected| <= atol + rtol * |expected|), NaN only where the reference has NaN,
   infinities only where the reference has the same infinity;
4. an element that still holds the fill the grader put in the output before the launch
   (`autograder.inputs.poison`) was never written: it is wrong whatever the reference holds
   there (a NaN fill would otherwise equal a NaN of the reference), and is named as such.
The verdict names the first mismatching element with both values ("out[3]: expected 1.5, got
1.25"), or says it was never written ("out[3] was never written"), or the mismatch in words.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping

import numpy as np

from autograder.inputs import holds_poison
from autograder.spec import Tolerance
from cudalike.i18n import _

__all__ = ["Verdict", "compare_array", "compare_outputs"]


@dataclasses.dataclass(frozen=True)
class Verdict:
    """The outcome of one comparison.

    Attributes:
        passed: every element within tolerance, dtype and shape equal.
        reason: "" when passed; otherwise the first mismatch in words, e.g.
            "out[3, 7]: expected 1.5, got 1.25 (error 0.25 > allowed 1.5e-06)".
        max_error: the largest |actual - expected| over elements finite in both (0.0 for
            matching empty arrays; NaN when dtype or shape already differ).
        mismatches: how many elements are wrong (0 when dtype or shape already differ).
        first_index: the first wrong element's index, or None.
        unwritten: how many of the wrong elements were never written (still the fill).
    """

    passed: bool
    reason: str
    max_error: float
    mismatches: int = 0
    first_index: tuple[int, ...] | None = None
    unwritten: int = 0


def compare_array(
    name: str,
    expected: np.ndarray,
    actual: object,
    tolerance: Tolerance | None,
    poison: np.generic | None = None,
) -> Verdict:
    """Compare one output array of a submission (`actual`) with the reference's (`expected`).

    Args:
        name: the output's name, used in the reason.
        expected: the reference's array (trusted), of a boolean, integer or float dtype.
        actual: what the submission produced (untrusted: any object).
        tolerance: for float dtypes; None compares exactly.
        poison: the fill the output held before the launch; an element of `actual` still
            holding it (where the reference wrote something else) was never written. None
            when the output started as zeros.

    Returns:
        The verdict.

    Raises:
        TypeError: `expected` is not a plain numpy array of a boolean, integer or float dtype
            (a grader bug, never a submission's fault).

    Example:
        >>> compare_array("out", np.ones(3), np.ones(3), Tolerance(1e-6, 0.0)).passed
        True
    """
    if type(expected) is not np.ndarray or expected.dtype.kind not in "biuf":
        raise TypeError(f"expected {name} must be a numpy array of numbers, not {type(expected)}")
    if type(actual) is not np.ndarray:
        return _fail(
            _("{name} is a {kind}, not a numpy.ndarray").format(name=name, kind=_type_name(actual))
        )
    actual = np.asarray(actual)
    if actual.dtype != expected.dtype:
        return _fail(
            _("{name} has dtype {got}, expected {want}").format(
                name=name, got=actual.dtype, want=expected.dtype
            )
        )
    if actual.shape != expected.shape:
        return _fail(
            _("{name} has shape {got}, expected {want}").format(
                name=name, got=actual.shape, want=expected.shape
            )
        )
    if poison is None or expected.dtype.kind == "b":
        never = np.zeros(expected.shape, bool)
    else:
        never = holds_poison(actual, poison) & ~holds_poison(expected, poison)
    if expected.dtype.kind != "f" or tolerance is None:
        wrong = (expected != actual) | never
        finite_error = _max_error(expected, actual, np.ones(expected.shape, bool))
        return _verdict(name, expected, actual, wrong, finite_error, None, never)
    return _compare_floats(name, expected, actual, tolerance, never)


def compare_outputs(
    expected: Mapping[str, np.ndarray],
    actual: Mapping[str, object],
    tolerances: Mapping[str, Tolerance],
    poisons: Mapping[str, np.generic] | None = None,
) -> dict[str, Verdict]:
    """Compare every output by name; a missing output fails with a reason.

    Args:
        expected: output name -> the reference's array.
        actual: output name -> what the submission produced (extra names are ignored).
        tolerances: dtype name -> tolerance (an exercise's `tolerance` table).
        poisons: output name -> the fill it held before the launch (outputs filled with
            zeros are left out), so that unwritten elements are found and named.

    Returns:
        Output name -> verdict, in the order of `expected`.
    """
    verdicts = {}
    for name, reference in expected.items():
        if name not in actual:
            verdicts[name] = _fail(_("{name} was not produced").format(name=name))
            continue
        tolerance = tolerances.get(reference.dtype.name)
        poison = (poisons or {}).get(name)
        verdicts[name] = compare_array(name, reference, actual[name], tolerance, poison)
    return verdicts


def _compare_floats(
    name: str, expected: np.ndarray, actual: np.ndarray, tolerance: Tolerance, never: np.ndarray
) -> Verdict:
    wide_expected = expected.astype(np.float64)
    wide_actual = actual.astype(np.float64)
    expected_nan, actual_nan = np.isnan(wide_expected), np.isnan(wide_actual)
    expected_inf, actual_inf = np.isinf(wide_expected), np.isinf(wide_actual)
    finite = ~(expected_nan | actual_nan | expected_inf | actual_inf)
    with np.errstate(invalid="ignore", over="ignore"):
        error = np.abs(wide_actual - wide_expected)
        allowed = tolerance.atol + tolerance.rtol * np.abs(wide_expected)
    inf_differs = (expected_inf | actual_inf) & ~(
        expected_inf & actual_inf & (np.sign(wide_expected) == np.sign(wide_actual))
    )
    wrong = (expected_nan != actual_nan) | inf_differs | (finite & ~(error <= allowed)) | never
    finite_error = _max_error(wide_expected, wide_actual, finite)
    return _verdict(name, expected, actual, wrong, finite_error, allowed, never)


def _max_error(expected: np.ndarray, actual: np.ndarray, where: np.ndarray) -> float:
    if not where.any():
        return 0.0
    difference = actual[where].astype(np.float64) - expected[where].astype(np.float64)
    return float(np.max(np.abs(difference)))


def _verdict(name, expected, actual, wrong, max_error, allowed, never) -> Verdict:
    mismatches = int(np.count_nonzero(wrong))
    if mismatches == 0:
        return Verdict(True, "", max_error)
    unwritten = int(np.count_nonzero(never))
    flat = int(np.flatnonzero(wrong)[0])
    index = tuple(int(i) for i in np.unravel_index(flat, expected.shape))
    want, got = expected[index].item(), actual[index].item()
    where = f"{name}[{', '.join(map(str, index))}]"
    if never[index]:
        reason = _("{where} was never written (expected {want})").format(
            where=where, want=repr(want)
        )
    else:
        reason = _("{where}: expected {want}, got {got}").format(
            where=where, want=repr(want), got=repr(got)
        )
    if not never[index] and allowed is not None and math.isfinite(want) and math.isfinite(got):
        reason += _(" (error {error:.3g} > allowed {allowed:.3g})").format(
            error=abs(got - want), allowed=allowed[index]
        )
    if mismatches > 1:
        reason += _("; {wrong} of {total} elements are wrong").format(
            wrong=mismatches, total=expected.size
        )
        if unwritten:
            reason += _(", {unwritten} of them never written").format(unwritten=unwritten)
    return Verdict(False, reason, max_error, mismatches, index, unwritten)


def _type_name(value: object) -> str:
    """`module.QualName` of `value`'s type, read through `type`'s own descriptors so that a
    metaclass property cannot run code here."""
    kind = type(value)
    module = type.__dict__["__module__"].__get__(kind)
    return f"{module}.{type.__dict__['__qualname__'].__get__(kind)}"


def _fail(reason: str) -> Verdict:
    return Verdict(False, reason, math.nan)
