"""What learners get: an exercise's starter and data files, never the reference or solution.

    cudalike-grade fetch vector_add            # ./vector_add/starter.ipynb, for one learner
    cudalike-grade release handout/            # handout/<id>/... for every exercise

The learner's files are every file of the exercise's folder except `exercise.toml` (its hidden
sizes), `reference.py`, `solution.py`, and anything whose name starts with `.` or `_` (an
instructor's private notes or data: `_notes.md`, `_private/`) or is a Python cache. Neither
command overwrites a file that exists (a learner's work) unless asked to (`force`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from autograder.catalog import Folders, list_exercises
from autograder.spec import Exercise, load_exercise

__all__ = ["INSTRUCTOR_FILES", "fetch", "learner_files", "release"]

INSTRUCTOR_FILES = frozenset({"exercise.toml", "reference.py", "solution.py"})


def learner_files(spec: Exercise) -> list[Path]:
    """The files a learner gets from `spec`'s folder, relative to it, sorted.

    Example:
        >>> learner_files(load_exercise("vector_add"))
        [PosixPath('starter.ipynb')]
    """
    files = []
    for path in sorted(spec.path.rglob("*")):
        relative = path.relative_to(spec.path)
        if not path.is_file() or relative.as_posix() in INSTRUCTOR_FILES:
            continue
        if any(part.startswith((".", "_")) or part.endswith(".pyc") for part in relative.parts):
            continue
        files.append(relative)
    return files


def fetch(
    exercise: str,
    directory: str | os.PathLike = ".",
    *,
    force: bool = False,
    search: Folders | None = None,
) -> list[Path]:
    """Copy one exercise's learner files into `directory/<id>/`; returns the files written.

    Args:
        exercise: an exercise id (looked up along the search path) or folder.
        directory: where the exercise's folder is made (default: the current folder).
        force: overwrite files that exist.
        search: folders searched before `$CUDALIKE_EXERCISES` and the shipped exercises.

    Raises:
        FileExistsError: a file to be written exists and `force` is False (nothing is
            written); the message names the files.
        FileNotFoundError: no such exercise.
    """
    return _copy([load_exercise(exercise, search)], Path(directory), force)


def release(
    directory: str | os.PathLike,
    exercises: Iterable[str] | None = None,
    *,
    force: bool = False,
    search: Folders | None = None,
) -> list[Path]:
    """Write the learners' version of exercises into `directory/<id>/`; returns the files.

    Args:
        directory: the hand-out folder (e.g. what a JupyterHub copies to each learner).
        exercises: ids or folders; None releases every exercise on the search path.
        force: overwrite files that exist.
        search: folders searched before `$CUDALIKE_EXERCISES` and the shipped exercises.

    Raises:
        FileExistsError: a file to be written exists and `force` is False (nothing is written).
    """
    ids = list_exercises(search=search) if exercises is None else list(exercises)
    return _copy([load_exercise(item, search) for item in ids], Path(directory), force)


def _copy(specs: list[Exercise], directory: Path, force: bool) -> list[Path]:
    pairs = [
        (spec.path / relative, directory / spec.id / relative)
        for spec in specs
        for relative in learner_files(spec)
    ]
    existing = [str(target) for _, target in pairs if target.exists()]
    if existing and not force:
        raise FileExistsError(
            f"not overwriting {', '.join(existing)} (someone's work?); move it away or pass --force"
        )
    for source, target in pairs:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return [target for _, target in pairs]
