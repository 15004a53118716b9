"""autograder/course_map.py, START-HERE.ipynb: every lesson and exercise, linked, with progress."""

import json
import re
import shutil
import urllib.parse
from pathlib import Path

from autograder.course_map import build_course_map, first_words
from autograder.spec import list_exercises

ROOT = Path(__file__).resolve().parents[2]


def _targets(markdown: str) -> list[str]:
    """The targets of the Markdown links, code spans (`kernel[grid, block](...)`) left out."""
    prose = re.sub(r"`[^`]*`", "", markdown)
    return [urllib.parse.unquote(t) for t in re.findall(r"\[[^\]]*\]\(([^)\s]+)\)", prose)]


def test_the_map_lists_every_lesson_and_every_exercise():
    course_map = build_course_map(ROOT, progress={})
    lessons = sorted(ROOT.glob("courses/*/[0-9]*-*.ipynb"))
    assert lessons, "no lessons found"
    on_map = [lesson.path for course in course_map.courses for lesson in course.lessons]
    assert sorted(on_map) == lessons
    assert sorted(e.id for e in course_map.exercises()) == list_exercises()
    assert course_map.problems == ()
    markdown = course_map.markdown()
    for lesson in lessons:
        assert lesson.relative_to(ROOT).as_posix() in _targets(markdown)
    for exercise_id in list_exercises():
        assert f"Exercise `{exercise_id}`" in markdown


def test_every_link_points_at_a_file_that_exists():
    targets = _targets(build_course_map(ROOT, progress={}).markdown())
    lessons = list(ROOT.glob("courses/*/[0-9]*-*.ipynb")) + list(ROOT.glob("courses/*/zh/*.ipynb"))
    assert len(targets) == len(lessons) + len(list_exercises())
    for target in targets:
        assert not target.startswith("/") and (ROOT / target).is_file(), target


def test_exercises_sit_after_their_lesson_and_the_rest_under_other():
    course_map = build_course_map(ROOT, progress={})
    (course,) = [c for c in course_map.courses if c.name == "cuda-basics"]
    after = {stem: [e.id for e in entries] for stem, entries in course.after_lesson.items()}
    assert "vector_add" in after["02-indexing-guards-and-grid-stride-loops"]
    (ascend,) = [c for c in course_map.courses if c.name == "cuda-to-ascend-c"]
    assert "cann_add" in [e.id for e in ascend.after_lesson["03-tiling-and-many-cores"]]
    others = [entry.id for entry in course_map.other]
    assert ("## Other exercises" in course_map.markdown()) == bool(others)


def test_progress_is_shown_per_exercise():
    recorded = {"vector_add": {"best_score": 10.0, "max_score": 10.0, "attempts": 2}}
    markdown = build_course_map(ROOT, progress=recorded).markdown()
    assert "**done: 10/10 (2 attempts)**" in markdown
    assert "**not attempted**" in markdown


def test_a_missing_lesson_and_an_outside_exercise(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(ROOT / "courses", root / "courses")
    exercises = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "exercises" / "map_2d", exercises / "lost_map")
    toml = exercises / "lost_map" / "exercise.toml"
    text = toml.read_text().replace('id = "map_2d"', 'id = "lost_map"')
    toml.write_text(text.replace('lesson = "01"', 'lesson = "42"'))
    course_map = build_course_map(root, search=[exercises], progress={})
    assert course_map.problems == ("lost_map: course 'cuda-basics' has no lesson '42'",)
    assert "(get it with `cudalike-grade fetch lost_map`)" in course_map.markdown()
    (lesson,) = (root / "courses" / "cuda-basics").glob("01-*.ipynb")
    lesson.unlink()
    missing = build_course_map(root, progress={})
    assert any("map_2d: " in p and "no lesson '01'" in p for p in missing.problems)


def test_first_words_reads_the_title_and_the_first_paragraph(tmp_path):
    notebook = tmp_path / "01-x.ipynb"
    source = "# 01 · Title\n\nWhat it teaches,\non two lines. You will:\n\n1. one;\n2. two\n"
    cell = {"cell_type": "markdown", "metadata": {}, "source": source}
    notebook.write_text(json.dumps({"cells": [cell]}))
    assert first_words(notebook) == ("01 · Title", "What it teaches, on two lines. You will")
    assert first_words(notebook, with_list=True)[1].endswith("You will: one; two.")


def test_the_start_notebook_builds_the_map_in_its_one_code_cell():
    notebook = json.loads((ROOT / "START-HERE.ipynb").read_text())
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert len(code) == 1 and "build_course_map()" in "".join(code[0]["source"])
    assert all(cell.get("outputs", []) == [] for cell in code)


def test_brackets_in_a_title_stay_inside_the_link(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(ROOT / "courses", root / "courses")
    exercises = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "exercises" / "map_2d", exercises / "map_2d")
    toml = exercises / "map_2d" / "exercise.toml"
    title = 'title = "2-D map: out[row, col] = alpha * x[row, col] + beta"'
    toml.write_text(re.sub(r"^title = .*$", title, toml.read_text(), count=1, flags=re.M))
    shutil.copytree(exercises, root / "exercises")
    markdown = build_course_map(root, search=[root / "exercises"], progress={}).markdown()
    escaped = r"out\[row, col\] = alpha * x\[row, col\] + beta](exercises/map_2d/starter.ipynb)"
    assert escaped in markdown


def test_a_lessons_exercises_come_in_the_order_the_lesson_links_them():
    course_map = build_course_map(ROOT, progress={})
    for course in course_map.courses:
        for lesson in course.lessons:
            text = lesson.path.read_text(encoding="utf-8")
            ids = [entry.id for entry in course.after_lesson[lesson.stem]]
            linked = [i for i in ids if f"exercises/{i}/" in text]
            assert linked == sorted(linked, key=lambda i: text.find(f"exercises/{i}/"))
            assert ids[: len(linked)] == linked, (lesson.stem, ids)
    (basics,) = [c for c in course_map.courses if c.name == "cuda-basics"]
    assert basics.after_lesson["02-indexing-guards-and-grid-stride-loops"][0].id == "vector_add"
