"""The state one grading passes from step to step."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from autograder.extract import Extracted
from autograder.result import Status, TestResult, Visibility
from autograder.sandbox import Limits, Outcome
from autograder.spec import Exercise


class GraderError(Exception):
    """The grader itself failed (a broken exercise, a failing reference): never the learner's."""


@dataclasses.dataclass
class Case:
    """One size to test: the trusted copy of its arguments and what the reference wrote.

    Attributes:
        name: e.g. "n=1000" or "rows=1, cols=1000".
        size: the size variables.
        visibility: "visible" for public sizes, "hidden" for hidden ones.
        arguments: the inputs drawn from the seed, outputs filled (the parent's own copy).
        expected: the reference's outputs, by name.
        launch: what the child needs to launch like the reference: for the CANN track
            {"blocks": ..., "tiling": ...} from the reference's tiling function.
        poison: the fill each `fill = "poison"` output holds in `arguments` before the
            submission's launch, by name: an element still holding it was never written.
    """

    name: str
    size: dict[str, int]
    visibility: Visibility
    arguments: dict[str, np.ndarray | np.generic]
    expected: dict[str, np.ndarray] = dataclasses.field(default_factory=dict)
    launch: dict = dataclasses.field(default_factory=dict)
    poison: dict[str, np.generic] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class Grading:
    """Everything one grading knows so far; the steps fill it in order.

    Attributes:
        spec: the exercise.
        path: the submission file.
        seed: the seed of the inputs (never sent to the submission's process).
        limits: the sandbox's resource limits.
        status: "graded" unless a step settled "rejected".
        findings: extraction findings as text.
        extracted: the trusted module built from the submission.
        cases: public sizes then hidden sizes.
        speed_case: index in `cases` of the size speed is measured at (largest public one).
        reference_profile: the reference's profile summary at the speed case.
        outcome: the sandbox's outcome of the submission's job.
        runs: per case, what the child reported: {"status": "ok", "outputs": ...} or
            {"status": "error", "kind": ..., "message": ...}; the speed case adds "profile".
        tests: the test results, in report order.
        speed: modelled time over the reference's, or None.
        advised: the [feedback] keys already given (`steps/advice.py`), so each is said once.
    """

    spec: Exercise
    path: Path
    seed: int
    limits: Limits
    status: Status = "graded"
    findings: list[str] = dataclasses.field(default_factory=list)
    extracted: Extracted | None = None
    cases: list[Case] = dataclasses.field(default_factory=list)
    speed_case: int = 0
    reference_profile: dict = dataclasses.field(default_factory=dict)
    outcome: Outcome | None = None
    runs: list[dict] = dataclasses.field(default_factory=list)
    tests: list[TestResult] = dataclasses.field(default_factory=list)
    speed: float | None = None
    advised: set[str] = dataclasses.field(default_factory=set)

    @property
    def submission_profile(self) -> dict | None:
        """The profile summary of the submission at the speed case, when it ran there."""
        if len(self.runs) > self.speed_case and self.runs[self.speed_case]["status"] == "ok":
            return self.runs[self.speed_case].get("profile")
        return None

    def correctness_passed(self) -> bool:
        """True when every correctness test passed."""
        return all(t.passed for t in self.tests if t.name.startswith("correctness"))
