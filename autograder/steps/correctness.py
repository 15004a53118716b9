"""Step 5, correctness: compare each case's outputs with the reference's, in this process.

The comparison is `autograder.compare`: exact dtype and shape, values by tolerance, NaN only
where the reference has NaN, never through an object's own `__eq__`; an element still holding
the fill the case put there was never written, and the output says so. A runtime error at a size
scores zero for that size, its output the error as the notebook would show it. The
exercise's advice for the symptom (`steps/advice.py`) follows the first test that shows it.
"""

from __future__ import annotations

from autograder.compare import compare_outputs
from autograder.result import TestResult
from autograder.steps._state import Grading
from autograder.steps.advice import advise, error_symptom
from autograder.steps.cases import test_names
from cudalike.i18n import _


def step(grading: Grading) -> None:
    """Append one test per case."""
    names = test_names(grading)
    share = grading.spec.points.correctness / len(grading.cases)
    for (name, visibility), case, run in zip(names, grading.cases, grading.runs, strict=True):
        if run["status"] != "ok":
            message = _cut(run["message"])
            text = f"{run['kind']}: {message}" if run["kind"] else message
            text += advise(grading, error_symptom(run["kind"], run["message"]))
            grading.tests.append(TestResult(name, 0.0, share, False, text, visibility))
            continue
        verdicts = compare_outputs(
            case.expected, run["outputs"], grading.spec.tolerance, case.poison
        )
        passed = all(verdict.passed for verdict in verdicts.values())
        text = "\n".join(_describe(out, verdict) for out, verdict in verdicts.items())
        if not passed:
            unwritten = any(verdict.unwritten for verdict in verdicts.values())
            text += advise(grading, "unwritten" if unwritten else "wrong_values")
        score = share if passed else 0.0
        grading.tests.append(TestResult(name, score, share, passed, text, visibility))


def _describe(name: str, verdict) -> str:
    if verdict.passed:
        return _("{name} matches the reference (largest error {error:.3g})").format(
            name=name, error=verdict.max_error
        )
    return verdict.reason


MAX_MESSAGE = 2000  # characters of an error message in a test's output


def _cut(message: str) -> str:
    """The child's error message, cut so that no kernel (an assert with a huge string, say)
    can flood a report."""
    if len(message) <= MAX_MESSAGE:
        return message
    return message[:MAX_MESSAGE] + _(" ... (message cut at {most} characters)").format(
        most=MAX_MESSAGE
    )
