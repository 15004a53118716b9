"""Step 1, ingest: extract the exercise's kernels from the submission, statically.

Nothing of the submission runs here. An extraction error (not a notebook, a syntax error, a
missing kernel, a construct outside the kernel language) rejects the submission: every test
scores zero and the findings say what to fix, with cell and line.
"""

from __future__ import annotations

from autograder.extract import extract
from autograder.result import TestResult
from autograder.steps._state import Grading


def step(grading: Grading) -> None:
    """Fill `extracted` and `findings`; set status "rejected" when a finding is an error."""
    spec = grading.spec
    names = [kernel.name for kernel in spec.kernels]
    grading.extracted = extract(grading.path, names, spec.track)
    grading.findings = [
        f"{finding.where}: {'' if finding.level == 'error' else 'note: '}{finding.message}"
        for finding in grading.extracted.findings
    ]
    if not grading.extracted.ok:
        grading.status = "rejected"


def rejected_tests(grading: Grading, names: list[tuple[str, str]]) -> list[TestResult]:
    """Zero-score tests for a rejected submission, each pointing at the findings."""
    share = grading.spec.points.correctness / max(len(names), 1)
    text = "not run: the submission was rejected before running; fix the findings:\n"
    text += "\n".join(f for f in grading.findings if ": note: " not in f)
    return [TestResult(name, 0.0, share, False, text, visibility) for name, visibility in names]
