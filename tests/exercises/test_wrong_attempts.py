"""Typical wrong attempts at each exercise get feedback that says what to change.

Each file `wrong/<exercise id>/<mistake>.py` is a submission a learner could write; its
`# expect: <phrase>` lines are what the grade report must say (case-insensitive), usually the
exercise's advice for that symptom (`[feedback]` in exercise.toml) or the runtime's hint. The
attempt must not get full marks. Every exercise of a course has at least three.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autograder import grade_submission
from autograder.spec import list_exercises, load_exercise

WRONG = Path(__file__).parent / "wrong"
ATTEMPTS = sorted(WRONG.glob("*/*.py"))
EXPECT = re.compile(r"^# expect: (.+)$", re.MULTILINE)


def report_text(result) -> str:
    lines = [test.output for test in result.tests] + result.findings + result.hints
    return "\n".join(lines + [result.message])


@pytest.mark.slow
@pytest.mark.parametrize("path", ATTEMPTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_wrong_attempt_is_told_what_to_change(path: Path):
    phrases = EXPECT.findall(path.read_text())
    assert phrases, f"{path}: no '# expect: <phrase>' line"
    result = grade_submission(path.parent.name, path, seed=20261202)
    assert result.status != "error", result.message
    assert not result.full_marks, f"{path.name} scored full marks"
    text = report_text(result).lower()
    for phrase in phrases:
        assert phrase.strip().lower() in text, f"missing {phrase!r} in:\n{report_text(result)}"


def test_every_course_exercise_keeps_three_wrong_attempts():
    for exercise_id in list_exercises():
        if load_exercise(exercise_id).course is None:
            continue
        kept = list((WRONG / exercise_id).glob("*.py"))
        assert len(kept) >= 3, f"{exercise_id}: {len(kept)} wrong attempts kept under {WRONG}"


def test_attempts_belong_to_existing_exercises():
    assert {path.parent.name for path in ATTEMPTS} <= set(list_exercises())
