"""`cudalike-grade new`: a new exercise that passes `validate-exercise` as generated.

    cudalike-grade new saxpy --dir my-exercises/            # a SIMT exercise
    cudalike-grade new scale_half --track cann --dir my-exercises/

The four files are a working example to edit rather than a blank form: `exercise.toml` with a
comment on every field, `reference.py`, `solution.py` and `starter.ipynb` (the task, the kernel
stub marked `# TODO`, a launch cell and a check cell). The SIMT template is SAXPY
(`out = alpha * x + y`, one thread per element); the CANN template multiplies two float16
vectors tile by tile with double buffering. The kernel is named after the exercise id.
"""

from __future__ import annotations

import json
import keyword
import os
import re
from pathlib import Path

from autograder import _templates

__all__ = ["new_exercise"]

_ID = re.compile(r"[a-z][a-z0-9_]*\Z")


def new_exercise(exercise_id: str, track: str = "simt", directory: str | os.PathLike = ".") -> Path:
    """Write a new exercise `directory/exercise_id/`; returns its folder.

    Args:
        exercise_id: lower case letters, digits and `_`, starting with a letter; also the
            kernel's name, so not a Python keyword.
        track: "simt" (numba.cuda-style) or "cann" (Ascend-C-style).
        directory: the folder of exercises to add it to (put it on `CUDALIKE_EXERCISES`).

    Raises:
        ValueError: a malformed id or an unknown track.
        FileExistsError: the exercise's folder exists.
    """
    if not _ID.match(exercise_id) or keyword.iskeyword(exercise_id):
        raise ValueError(
            f"exercise id {exercise_id!r} must be lower case letters, digits and _, start with "
            "a letter and not be a Python keyword (it is also the kernel's name)"
        )
    if track not in _templates.TRACKS:
        raise ValueError(f"track {track!r} is not one of {', '.join(_templates.TRACKS)}")
    folder = Path(directory) / exercise_id
    if folder.exists():
        raise FileExistsError(f"{folder} exists; pick another id or move it away")
    template = _templates.TRACKS[track]
    names = {
        "id": exercise_id,
        "class_name": "Kernel" + "".join(p.capitalize() for p in exercise_id.split("_")),
    }
    folder.mkdir(parents=True)
    for filename in ("exercise.toml", "reference.py", "solution.py"):
        (folder / filename).write_text(_fill(template[filename], names), encoding="utf-8")
    cells = [(kind, _fill(source, names)) for kind, source in template["starter"]]
    (folder / "starter.ipynb").write_text(_notebook(cells), encoding="utf-8")
    return folder


def _fill(text: str, names: dict[str, str]) -> str:
    """Replace `{{id}}` and `{{class_name}}` (templates hold Python and TOML braces freely)."""
    for key, value in names.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def _notebook(cells: list[tuple[str, str]]) -> str:
    """An nbformat 4 notebook of (cell type, source) with outputs cleared, as JSON."""
    notebook = {
        "cells": [
            {"cell_type": kind, "id": f"cell-{number}", "metadata": {}, "source": source}
            | ({"execution_count": None, "outputs": []} if kind == "code" else {})
            for number, (kind, source) in enumerate(cells, start=1)
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, indent=1) + "\n"
