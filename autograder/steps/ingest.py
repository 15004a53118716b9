"""Step 1, ingest: extract the exercise's kernels from the submission, statically.

Nothing of the submission runs here. A file that is neither a `.ipynb` notebook nor a `.py`
script is rejected before it is read. An extraction error (a broken notebook, a syntax error,
a missing kernel, a construct outside the kernel language) rejects the submission: every test
scores zero and the findings say what to fix, with cell and line.
"""

from __future__ import annotations

import dataclasses

from autograder.extract import extract
from autograder.result import TestResult
from autograder.spec import Exercise
from autograder.steps._state import Grading

SUFFIXES = (".ipynb", ".py")


def step(grading: Grading) -> None:
    """Fill `extracted` and `findings`; set status "rejected" when a finding is an error."""
    spec = grading.spec
    if grading.path.suffix not in SUFFIXES:
        kind = f"a {grading.path.suffix} file" if grading.path.suffix else "a file without one"
        grading.findings = [
            f"{grading.path.name}: only .ipynb notebooks and .py scripts are graded, not {kind}"
        ]
        grading.status = "rejected"
        return
    names = [kernel.name for kernel in spec.kernels]
    attributes = _tiling_fields(spec) if spec.track == "cann" else frozenset()
    grading.extracted = extract(grading.path, names, spec.track, attributes)
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


def _tiling_fields(spec: Exercise) -> frozenset[str]:
    """Fields of the tiling dataclasses reference.py defines or imports: CANN code reads them."""
    from autograder.steps.reference import load_reference

    module = load_reference(spec)
    return frozenset(
        field.name
        for value in vars(module).values()
        if isinstance(value, type) and dataclasses.is_dataclass(value)
        for field in dataclasses.fields(value)
    )
