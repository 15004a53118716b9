"""Grade one submission: a declared pipeline of small steps, each in `autograder/steps/`.

    from autograder.grade import grade_submission
    result = grade_submission("vector_add", "alice.ipynb")
    result.score, result.max_score, [t.output for t in result.tests if not t.passed]

`PIPELINE` below is the order, with the reason for each place. Everything the grade rests on
is decided here, in the trusted process: the seed, the reference's outputs and time, the
comparison and the scoring. The submission's kernels run only in a sandboxed child
(`autograder.sandbox`) that sees copies of the arguments, never the seed or the reference.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from autograder.result import SubmissionResult, TestResult
from autograder.sandbox import Limits
from autograder.spec import Exercise, load_exercise
from autograder.steps import cases, correctness, ingest, reference, rules, speed, submission
from autograder.steps._state import GraderError, Grading
from cudalike import config

__all__ = ["PIPELINE", "Limits", "SubmissionResult", "TestResult", "grade_submission"]

PIPELINE: list[Callable[[Grading], None]] = [
    # Static and cheap first: a submission that is not a notebook, does not parse or leaves
    # the kernel language is rejected before anything runs, with cell and line.
    ingest.step,
    # Inputs from the grader's seed, kept here; the child only ever gets copies.
    cases.step,
    # The reference runs here, before the submission, so a broken exercise is a grader error
    # (status "error") and never scores a learner zero.
    reference.step,
    # The submission's kernels, in one sandboxed child, every size failing on its own.
    submission.step,
    # Outputs compared here, by the grader, against the reference's.
    correctness.step,
    # Rules read the speed case's counters; speed points depend on them, so rules go first.
    rules.step,
    # Speed last: it needs correctness and rules, and its floor can void the tests above.
    speed.step,
]


def grade_submission(
    exercise: str | Exercise,
    path: str | os.PathLike,
    *,
    seed: int | None = None,
    limits: Limits | None = None,
) -> SubmissionResult:
    """Grade the kernels in one notebook or script against an exercise.

    Args:
        exercise: an exercise id ("vector_add"), folder, or a loaded `Exercise`.
        path: the submission (`.ipynb` or `.py`); any other file is rejected, not raised.
        seed: the inputs' seed; a fresh `secrets.randbits(64)` when None. It is recorded in
            the result for the instructor and never given to the submission.
        limits: the sandbox's limits for the submission's child; `Limits()` when None.

    Returns:
        The result; status "graded", "rejected" (extraction found errors; nothing ran) or
        "error" (the grader failed, e.g. the reference; `message` says what).

    Raises:
        FileNotFoundError, autograder.spec.SpecError: the exercise does not exist or is
            malformed (a mistake of the caller, not of the submission).

    Example:
        >>> result = grade_submission("vector_add", "exercises/vector_add/solution.py")
        >>> result.score == result.max_score
        True
    """
    spec = exercise if isinstance(exercise, Exercise) else load_exercise(exercise)
    grading = Grading(
        spec=spec,
        path=Path(path),
        seed=secrets.randbits(64) if seed is None else seed,
        limits=limits or Limits(),
    )
    try:
        for step in PIPELINE:
            step(grading)
            if grading.status != "graded":
                break
    except (GraderError, OSError) as error:
        return _result(grading, status="error", message=str(error))
    if grading.status == "rejected":
        grading.tests = ingest.rejected_tests(grading, cases.test_names(grading))
        if spec.points.speed:
            text = "not run: the submission was rejected"
            grading.tests.append(TestResult("speed", 0.0, float(spec.points.speed), False, text))
    return _result(grading, status=grading.status)


def _result(grading: Grading, status: str, message: str = "") -> SubmissionResult:
    spec = grading.spec
    max_score = float(spec.points.correctness + spec.points.speed)
    score = round(sum(test.score for test in grading.tests), 6)
    failed = status != "graded" or any(not test.passed for test in grading.tests)
    profile = grading.submission_profile if status == "graded" else None
    return SubmissionResult(
        exercise=spec.id,
        submission=str(grading.path),
        status=status,
        score=min(score, max_score),
        max_score=max_score,
        tests=grading.tests if status != "error" else [],
        findings=grading.findings,
        speed=grading.speed,
        hints=list(spec.in_language(config.get().language).hints)
        if failed and status != "error"
        else [],
        seed=grading.seed,
        time_us=profile["time_us"] if profile else None,
        reference_time_us=grading.reference_profile.get("time_us"),
        worst_lines=_worst_lines(grading, profile),
        message=message,
    )


def _worst_lines(grading: Grading, profile: dict | None) -> list[dict]:
    """The submission's own lines with the largest share of modelled time (at most 3)."""
    if profile is None or grading.extracted is None:
        return []
    own = {piece.filename for piece in grading.extracted.pieces}
    lines = [line for line in profile["lines"] if line["filename"] in own and line["share"] > 0]
    return [
        {
            "where": f"{line['filename']}, line {line['line']}",
            "source": line["source"].strip(),
            "share": round(line["share"], 4),
        }
        for line in lines[:3]
    ]
