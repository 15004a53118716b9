"""Lessons and exercises link both ways: a lesson ends with its exercises, a starter links back.

The pairs come from each exercise's `course` and `lesson` fields (the course map's data), so an
exercise placed after a lesson that never mentions it, or a starter that leaves the learner
with no way back, fails here.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import nbformat
import pytest

from autograder.course_map import build_course_map

ROOT = Path(__file__).resolve().parents[2]
COURSE_MAP = build_course_map(ROOT, progress={})
PLACED = [
    (course, lesson, entry)
    for course in COURSE_MAP.courses
    for lesson in course.lessons
    for entry in course.after_lesson.get(lesson.stem, ())
]


def link_targets(notebook: Path) -> set[Path]:
    """Every file a Markdown link of `notebook` points at, resolved from its folder."""
    cells = nbformat.read(notebook, as_version=4).cells
    prose = "\n".join(cell.source for cell in cells if cell.cell_type == "markdown")
    prose = re.sub(r"`[^`]*`", "", prose)
    targets = re.findall(r"\[[^\]]*\]\(([^)\s#]+)[^)]*\)", prose)
    return {(notebook.parent / urllib.parse.unquote(t)).resolve() for t in targets}


@pytest.mark.parametrize(
    "lesson, entry",
    [(lesson, entry) for _, lesson, entry in PLACED],
    ids=[f"{course.name}/{lesson.number}/{entry.id}" for course, lesson, entry in PLACED],
)
def test_lesson_links_its_exercise_and_the_exercise_links_back(lesson, entry):
    assert entry.starter.resolve() in link_targets(lesson.path), (
        f"{lesson.path.name} does not link to {entry.id}'s starter"
    )
    assert lesson.path.resolve() in link_targets(entry.starter), (
        f"{entry.id}'s starter does not link back to {lesson.path.name}"
    )


@pytest.mark.parametrize("course", COURSE_MAP.courses, ids=lambda course: course.name)
def test_each_lesson_links_to_the_next(course):
    for lesson, following in zip(course.lessons, course.lessons[1:], strict=False):
        assert following.path.resolve() in link_targets(lesson.path), (
            f"{lesson.path.name} does not link to the next lesson, {following.path.name}"
        )
