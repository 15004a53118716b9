"""Where exercises are found: the search path, and the exercise ids along it.

An exercise is a folder holding an `exercise.toml`. Ids are looked up along the search path,
first match wins:

1. folders given by the caller (`cudalike-grade ... --exercises DIR`, `check(...,
   exercises=DIR)`), in order;
2. the folders in the environment variable `CUDALIKE_EXERCISES` (separated by `os.pathsep`:
   `:` on Linux and macOS, `;` on Windows), so an instructor's exercises are found by every
   command and every notebook of a JupyterHub without passing anything;
3. the shipped exercises: `exercises/` of the repository for a source checkout or an editable
   install (the source of truth), or the copy inside the installed package
   (`autograder/exercises/`, put there when the wheel is built) for any other install.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "ENV_VAR",
    "SHIPPED_DIR",
    "find_exercise",
    "list_exercises",
    "search_path",
    "shipped_dir",
]

ENV_VAR = "CUDALIKE_EXERCISES"

_PACKAGE = Path(__file__).resolve().parent

Folders = Iterable[str | os.PathLike]


def shipped_dir() -> Path:
    """The shipped exercises: the installed package's copy, else the repository's folder."""
    packaged = _PACKAGE / "exercises"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "exercises"


SHIPPED_DIR = shipped_dir()


def search_path(extra: Folders | None = None) -> list[Path]:
    """The folders searched for exercises, in order: `extra`, `$CUDALIKE_EXERCISES`, shipped.

    Args:
        extra: folders to search first (e.g. from `--exercises`).

    Example:
        >>> search_path()[-1] == SHIPPED_DIR
        True
    """
    folders = [Path(folder) for folder in extra or ()]
    folders += [Path(part) for part in os.environ.get(ENV_VAR, "").split(os.pathsep) if part]
    folders.append(SHIPPED_DIR)
    unique: list[Path] = []
    for folder in folders:
        if folder not in unique:
            unique.append(folder)
    return unique


def list_exercises(
    directory: str | os.PathLike | None = None, *, search: Folders | None = None
) -> list[str]:
    """The exercise ids found, sorted; an id found twice is listed once (the first wins).

    Args:
        directory: list only this folder; None lists the whole search path.
        search: folders searched before `$CUDALIKE_EXERCISES` and the shipped ones.

    Example:
        >>> "vector_add" in list_exercises()
        True
    """
    folders = [Path(directory)] if directory is not None else search_path(search)
    return sorted({p.parent.name for folder in folders for p in folder.glob("*/exercise.toml")})


def find_exercise(exercise_id: str, search: Folders | None = None) -> Path | None:
    """The folder of exercise `exercise_id`: the first along the search path; None if none."""
    for folder in search_path(search):
        if (folder / exercise_id / "exercise.toml").is_file():
            return folder / exercise_id
    return None
