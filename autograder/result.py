"""What grading hands back: a `SubmissionResult` holding one `TestResult` per test, as plain data.

Both are frozen dataclasses of numbers, strings and lists, so a result round-trips through JSON
(`to_dict` / `from_dict`) and the reports (`autograder.report`) are written from the JSON alone.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Literal

Status = Literal["graded", "rejected", "error"]
Visibility = Literal["visible", "hidden"]


@dataclasses.dataclass(frozen=True)
class TestResult:
    """One test: a size's correctness, the speed, or a rule.

    Attributes:
        name: e.g. "correctness n=1000", "speed", "rule: no atomics".
        score: points earned.
        max_score: points available (0 for rules: they gate the speed points).
        passed: True when the test holds.
        output: what the learner reads: the first wrong element, the runtime error as the
            notebook shows it, the modelled time against the reference.
        visibility: "visible" (public sizes, speed, rules) or "hidden" (hidden sizes).
    """

    __test__ = False  # not a pytest test class

    name: str
    score: float
    max_score: float
    passed: bool
    output: str
    visibility: Visibility = "visible"


@dataclasses.dataclass(frozen=True)
class SubmissionResult:
    """The grade of one submission, and everything the reports show.

    Attributes:
        exercise: the exercise id.
        submission: the submission's path, as given.
        status: "graded"; "rejected" when extraction found errors (nothing ran); "error" when
            the grader itself failed (never the learner's fault: regrade after fixing it).
        score: points earned, the sum of the tests' scores.
        max_score: points available.
        tests: correctness per public and hidden size, then speed, then rules.
        findings: what extraction found, as "cell 3, line 4: ..." text (notes included).
        speed: the submission's modelled time over the reference's at the speed size, or None
            when it did not run there.
        hints: the exercise's hints, given when a test failed.
        seed: the seed the inputs were drawn from (for the instructor: reproduces the grade).
        time_us: the submission's modelled time at the speed size, or None.
        reference_time_us: the reference's modelled time at the speed size, or None.
        worst_lines: the submission's lines with the largest share of modelled time: dicts
            with "where", "source" and "share".
        message: for status "error", what failed in the grader.
    """

    exercise: str
    submission: str
    status: Status
    score: float
    max_score: float
    tests: list[TestResult]
    findings: list[str]
    speed: float | None
    hints: list[str]
    seed: int | None = None
    time_us: float | None = None
    reference_time_us: float | None = None
    worst_lines: list[dict] = dataclasses.field(default_factory=list)
    message: str = ""

    @property
    def full_marks(self) -> bool:
        """True when every point was earned."""
        return self.status == "graded" and self.score >= self.max_score

    def to_dict(self) -> dict:
        """Plain data (JSON-ready)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> SubmissionResult:
        """The inverse of `to_dict`; unknown keys are an error."""
        fields = dict(data)
        fields["tests"] = [TestResult(**test) for test in fields.get("tests", [])]
        return cls(**fields)


def validated(data: object) -> SubmissionResult:
    """A `SubmissionResult` from untrusted plain data (a worker's answer, a JSON on disk).

    Raises:
        ValueError: a field is missing, unknown or of the wrong type, or a number is not
            finite: such a result is graded again, never trusted.
    """
    try:
        result = SubmissionResult.from_dict(data)
        valid = _valid(result)
    except (TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"not a result: {error}") from error
    if not valid:
        raise ValueError("not a result: a field has the wrong type")
    return result


def _valid(result: SubmissionResult) -> bool:
    lists = ("tests", "findings", "hints", "worst_lines")
    if not all(type(getattr(result, key)) is list for key in lists):
        return False
    checks = [
        all(type(getattr(result, key)) is str for key in ("exercise", "submission", "message")),
        result.status in ("graded", "rejected", "error"),
        _number(result.score) and _number(result.max_score),
        all(_optional_number(getattr(result, key)) for key in ("speed", "time_us")),
        _optional_number(result.reference_time_us),
        result.seed is None or type(result.seed) is int,
        all(type(item) is str for item in result.findings + result.hints),
        all(type(line) is dict for line in result.worst_lines),
        all(_valid_test(test) for test in result.tests),
    ]
    return all(checks)


def _valid_test(test: TestResult) -> bool:
    return (
        type(test.name) is str
        and type(test.output) is str
        and type(test.passed) is bool
        and _number(test.score)
        and _number(test.max_score)
        and test.visibility in ("visible", "hidden")
    )


def _number(value: object) -> bool:
    return type(value) in (int, float) and math.isfinite(value)


def _optional_number(value: object) -> bool:
    return value is None or _number(value)
