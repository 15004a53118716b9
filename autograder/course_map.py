"""The course map: every course, lesson and exercise, with links and the learner's progress.

    from autograder.course_map import build_course_map
    build_course_map()        # in a notebook: shown as Markdown with links

It is built from the files, never written by hand, so it cannot fall out of date:
- a course is a folder `courses/<course>/`; its lessons are the notebooks `NN-topic.ipynb`, in
  number order, each described by its first Markdown cell: the heading is the title, the first
  paragraph after it says what the lesson teaches;
- the exercises are those on the search path (`autograder.catalog`); each `exercise.toml` names
  its `course` and `lesson` (optional), and its starter's first paragraph says what it asks.
  An exercise without a course, or naming one or a lesson that does not exist, is listed under
  "Other exercises" (the latter also in `problems`);
- progress is the learner's store (`autograder.progress_store`): best score and attempts.
Links are relative to `root` (the folder JupyterLab serves, holding `courses/` and
`exercises/`), so they open in JupyterLab; an exercise outside `root` is shown with the command
that fetches it.
"""

from __future__ import annotations

import dataclasses
import json
import re
import urllib.parse
from collections.abc import Mapping
from pathlib import Path

from autograder import progress_store
from autograder.catalog import Folders, list_exercises
from autograder.spec import Exercise, load_exercise

__all__ = ["Course", "CourseMap", "ExerciseEntry", "Lesson", "build_course_map", "first_words"]

_LESSON_FILE = re.compile(r"([0-9]+)-.+\.ipynb\Z")
_ITEM = re.compile(r"\s*(?:[0-9]+\.|[-*])\s+")
_LINK = re.compile(r"\[([^\]]*)\]\([^)\s]*\)")


@dataclasses.dataclass(frozen=True)
class Lesson:
    """One lesson notebook: `number` ("01"), `stem`, `title`, `summary` and its `path`."""

    number: str
    stem: str
    title: str
    summary: str
    path: Path


@dataclasses.dataclass(frozen=True)
class ExerciseEntry:
    """One exercise on the map.

    Attributes:
        id: the exercise id.
        title: its title from exercise.toml.
        track: "simt" or "cann".
        summary: the first paragraph of its starter notebook.
        starter: the starter notebook's path.
        progress: the learner's progress in words, e.g. "done: 10/10 (2 attempts)".
    """

    id: str
    title: str
    track: str
    summary: str
    starter: Path
    progress: str


@dataclasses.dataclass(frozen=True)
class Course:
    """A course folder: its lessons in order, the exercises after each lesson (by stem) and
    the exercises that name the course but no lesson."""

    name: str
    lessons: tuple[Lesson, ...]
    after_lesson: Mapping[str, tuple[ExerciseEntry, ...]]
    unplaced: tuple[ExerciseEntry, ...]


@dataclasses.dataclass(frozen=True)
class CourseMap:
    """Courses, the exercises outside them, and mismatches found while building the map.

    Attributes:
        root: the folder links are relative to.
        courses: by folder name, sorted.
        other: exercises without a (known) course.
        problems: e.g. an exercise naming a lesson that does not exist.
    """

    root: Path
    courses: tuple[Course, ...]
    other: tuple[ExerciseEntry, ...]
    problems: tuple[str, ...]

    def exercises(self) -> list[ExerciseEntry]:
        """Every exercise on the map, in map order."""
        entries = []
        for course in self.courses:
            for lesson in course.lessons:
                entries += course.after_lesson[lesson.stem]
            entries += course.unplaced
        return entries + list(self.other)

    def link(self, path: Path) -> str | None:
        """A link target for `path` relative to `root` (URL-quoted), or None when outside it."""
        try:
            relative = path.resolve().relative_to(self.root.resolve())
        except ValueError:
            return None
        return urllib.parse.quote(relative.as_posix())

    def markdown(self) -> str:
        """The map as Markdown, with relative links."""
        lines = ["# Course map", ""]
        for course in self.courses:
            lines += [f"## Course `{course.name}`", ""]
            for lesson in course.lessons:
                line = f"- **{self._linked(lesson.title, lesson.path)}**"
                chinese = lesson.path.parent / "zh" / lesson.path.name
                if chinese.is_file():  # the lesson's Simplified Chinese twin
                    line += f" ({self._linked('中文', chinese)})"
                lines.append(line)
                if lesson.summary:
                    lines.append(f"  {lesson.summary}")
                lines += [f"  - {self._exercise(e)}" for e in course.after_lesson[lesson.stem]]
            lines.append("")
            if course.unplaced:
                lines += [f"Also in `{course.name}`:", ""]
                lines += [f"- {self._exercise(entry)}" for entry in course.unplaced]
                lines.append("")
        if self.other:
            lines += ["## Other exercises", ""]
            lines += [f"- {self._exercise(entry)}" for entry in self.other]
            lines.append("")
        lines.append(f"*Progress from {progress_store.store_path()}; it updates each `check`.*")
        return "\n".join(lines)

    def _linked(self, text: str, path: Path) -> str:
        """`text` linked to `path`; brackets in it (a title such as "out[i] = ...") escaped so
        that they do not end the link text early."""
        target = self.link(path)
        if not target:
            return text
        return "[" + text.replace("[", r"\[").replace("]", r"\]") + f"]({target})"

    def _exercise(self, entry: ExerciseEntry) -> str:
        where = self._linked(f"Exercise `{entry.id}`: {entry.title}", entry.starter)
        if self.link(entry.starter) is None:
            where += f" (get it with `cudalike-grade fetch {entry.id}`)"
        summary = f" {entry.summary}" if entry.summary else ""
        return f"{where} ({entry.track}). **{entry.progress}**.{summary}"

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def __str__(self) -> str:
        return self.markdown()


def build_course_map(
    root: str | Path | None = None,
    *,
    search: Folders | None = None,
    progress: Mapping[str, dict] | None = None,
) -> CourseMap:
    """Build the map from the files under `root` and the exercises on the search path.

    Args:
        root: the folder holding `courses/` (links are relative to it); None: the current
            folder (where a notebook at the repository root runs).
        search: folders searched for exercises before `$CUDALIKE_EXERCISES` and the shipped.
        progress: exercise id -> progress entry; None reads the learner's store.
    """
    root = Path.cwd() if root is None else Path(root)
    recorded = progress_store.load() if progress is None else progress
    found = {f.name: _lessons(f) for f in sorted((root / "courses").glob("*")) if f.is_dir()}
    lessons = {name: course for name, course in found.items() if course}
    placed: dict[str, dict[str, list[ExerciseEntry]]] = {
        name: {lesson.stem: [] for lesson in course} for name, course in lessons.items()
    }
    unplaced: dict[str, list[ExerciseEntry]] = {name: [] for name in lessons}
    other: list[ExerciseEntry] = []
    problems: list[str] = []
    for exercise_id in list_exercises(search=search):
        spec = load_exercise(exercise_id, search)
        entry = _entry(spec, recorded.get(spec.id))
        if spec.course is None:
            other.append(entry)
        elif spec.course not in lessons:
            problems.append(f"{spec.id}: course {spec.course!r} has no lessons under {root}")
            other.append(entry)
        elif spec.lesson is None:
            unplaced[spec.course].append(entry)
        else:
            stem = _match_lesson(lessons[spec.course], spec.lesson)
            if stem is None:
                problems.append(f"{spec.id}: course {spec.course!r} has no lesson {spec.lesson!r}")
                unplaced[spec.course].append(entry)
            else:
                placed[spec.course][stem].append(entry)
    courses = tuple(
        Course(
            name,
            tuple(lessons[name]),
            {
                lesson.stem: tuple(_in_link_order(lesson, placed[name][lesson.stem]))
                for lesson in lessons[name]
            },
            tuple(unplaced[name]),
        )
        for name in lessons
    )
    return CourseMap(root, courses, tuple(other), tuple(problems))


def first_words(notebook: Path, *, with_list: bool = False) -> tuple[str, str]:
    """(title, first paragraph) of a notebook's first Markdown cell; "" for what is missing.

    The title is the first heading without its `#`s; the paragraph is the first block of
    text after it, joined into one line. With `with_list`, when a list follows it directly (a
    lesson's "In this lesson you will" and its steps) its items are added, separated by
    semicolons; without, a trailing colon is dropped.
    """
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    markdown = next((c for c in cells if c.get("cell_type") == "markdown"), None)
    if markdown is None:
        return "", ""
    source = "".join(markdown.get("source", []))
    title, paragraph = "", ""
    blocks = re.split(r"\n\s*\n", source.strip())
    for index, block in enumerate(blocks):
        lines = block.strip().splitlines()
        if lines and lines[0].startswith("#") and not title:
            title = lines[0].lstrip("#").strip()
            lines = lines[1:]
        if lines and not paragraph:
            paragraph = _joined(lines).rstrip(":")
            following = blocks[index + 1].strip() if index + 1 < len(blocks) else ""
            if with_list and _ITEM.match(following):
                paragraph += ": " + "; ".join(_items(following)) + "."
        if title and paragraph:
            break
    # Links in a notebook are relative to it, not to the map: keep their text only.
    return title, _LINK.sub(r"\1", paragraph)


def _joined(lines: list[str]) -> str:
    return " ".join(line.strip() for line in lines if line.strip())


def _items(block: str) -> list[str]:
    """The items of a Markdown list block, each joined into one line, markers removed."""
    items: list[list[str]] = []
    for line in block.splitlines():
        match = _ITEM.match(line)
        if match:
            items.append([line[match.end() :]])
        elif items:
            items[-1].append(line)
    return [_joined(item).rstrip(";.") for item in items]


def _lessons(folder: Path) -> list[Lesson]:
    found = []
    for path in folder.glob("*.ipynb"):
        match = _LESSON_FILE.match(path.name)
        if match:
            title, summary = first_words(path, with_list=True)
            found.append(Lesson(match.group(1), path.stem, title or path.stem, summary, path))
    return sorted(found, key=lambda lesson: (int(lesson.number), lesson.stem))


def _in_link_order(lesson: Lesson, entries: list[ExerciseEntry]) -> list[ExerciseEntry]:
    """A lesson's exercises in the order the lesson links them (its first exercise first);
    those it does not link follow, by id."""
    text = lesson.path.read_text(encoding="utf-8")

    def position(entry: ExerciseEntry) -> tuple[int, str]:
        found = text.find(f"exercises/{entry.id}/")
        return (found if found >= 0 else len(text), entry.id)

    return sorted(entries, key=position)


def _match_lesson(lessons: list[Lesson], wanted: str) -> str | None:
    """The stem of the lesson `wanted` names: its stem, or its number ("3" matches "03-...")."""
    for lesson in lessons:
        if wanted == lesson.stem or (wanted.isdigit() and int(wanted) == int(lesson.number)):
            return lesson.stem
    return None


def _entry(spec: Exercise, recorded: dict | None) -> ExerciseEntry:
    starter = spec.path / "starter.ipynb"
    summary = first_words(starter)[1] if starter.is_file() else ""
    return ExerciseEntry(spec.id, spec.title, spec.track, summary, starter, _progress(recorded))


def _progress(entry: dict | None) -> str:
    if not entry:
        return "not attempted"
    best, most = entry.get("best_score", 0), entry.get("max_score", 0)
    attempts = entry.get("attempts", 0)
    tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
    state = "done" if most and best >= most else "attempted"
    return f"{state}: {best:g}/{most:g} ({tries})"
