"""The learner's local progress: one JSON file per user, updated by every `check`.

    from autograder.progress_store import record, progress
    record(result)   # what `autograder.check` does after grading
    progress()       # a table of every shipped exercise: best score, best speed ratio, ...

The file is `progress.json` in the user's data directory: `$CUDALIKE_DATA_DIR` when set (tests
point it at a temporary folder), else `%APPDATA%\\cudalike` on Windows, else
`$XDG_DATA_HOME/cudalike` or `~/.local/share/cudalike`. Each write goes to a temporary file in
the same folder and is renamed over the old one, so an interrupted write never leaves half a
file. The package exports the function `progress` as `autograder.progress`; this module is
named `progress_store` so that the two never hide each other.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
import json
import os
import sys
from pathlib import Path

from autograder.report import points, write_atomic
from autograder.result import SubmissionResult
from autograder.spec import list_exercises

__all__ = ["ENV_VAR", "Progress", "data_dir", "load", "progress", "record", "store_path"]

ENV_VAR = "CUDALIKE_DATA_DIR"


def data_dir() -> Path:
    """The folder holding the progress file (see the module docstring for the order)."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "cudalike"
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "cudalike"


def store_path() -> Path:
    """The progress file: `data_dir() / "progress.json"`."""
    return data_dir() / "progress.json"


def load() -> dict[str, dict]:
    """Every recorded exercise's entry, by exercise id; empty when nothing is recorded.

    An entry has `best_score`, `max_score`, `best_speed` (the lowest modelled time over the
    reference's among attempts whose outputs were all correct; None before one), `attempts`
    and `last_attempt` (UTC, ISO 8601). A file that is not valid JSON reads as empty.
    """
    try:
        data = json.loads(store_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    exercises = data.get("exercises") if isinstance(data, dict) else None
    return exercises if isinstance(exercises, dict) else {}


def record(result: SubmissionResult, now: datetime.datetime | None = None) -> dict:
    """Add one graded attempt to the store and return the exercise's updated entry.

    Args:
        result: what `grade_submission` returned; an "error" result (the grader's fault) is
            not the learner's attempt and is not recorded.
        now: the attempt's time; the current UTC time when None.

    Returns:
        The exercise's entry after the update (unchanged for an "error" result).
    """
    exercises = load()
    entry = exercises.get(result.exercise, {})
    if result.status == "error":
        return entry
    when = (now or datetime.datetime.now(datetime.timezone.utc)).astimezone(datetime.timezone.utc)
    speed = entry.get("best_speed")
    if _correct(result) and result.speed is not None:
        speed = result.speed if speed is None else min(speed, result.speed)
    entry = {
        "best_score": max(entry.get("best_score", 0.0), result.score),
        "max_score": result.max_score,
        "best_speed": speed,
        "attempts": entry.get("attempts", 0) + 1,
        "last_attempt": when.isoformat(timespec="seconds"),
    }
    exercises[result.exercise] = entry
    document = {"version": 1, "exercises": dict(sorted(exercises.items()))}
    write_atomic(store_path(), json.dumps(document, indent=1) + "\n")
    return entry


def _correct(result: SubmissionResult) -> bool:
    """True when the result was graded and every correctness test passed."""
    correctness = [test for test in result.tests if test.name.startswith("correctness")]
    return result.status == "graded" and bool(correctness) and all(t.passed for t in correctness)


@dataclasses.dataclass(frozen=True)
class Row:
    """One exercise in the progress table; `entry` is None when never attempted."""

    exercise: str
    entry: dict | None

    @property
    def state(self) -> str:
        """'done' (full marks once), 'attempted' or 'not attempted'."""
        if self.entry is None:
            return "not attempted"
        return "done" if self.entry["best_score"] >= self.entry["max_score"] else "attempted"

    def cells(self) -> list[str]:
        """The row's columns as text: exercise, state, best score, best speed, attempts, last."""
        if self.entry is None:
            return [self.exercise, self.state, "", "", "0", ""]
        entry = self.entry
        speed = entry["best_speed"]
        return [
            self.exercise,
            self.state,
            f"{points(entry['best_score'], entry['max_score'])}/{points(entry['max_score'])}",
            "" if speed is None else f"{speed:.2f}x",
            str(entry["attempts"]),
            entry["last_attempt"],
        ]


_HEADER = ["exercise", "state", "best score", "best speed", "attempts", "last attempt (UTC)"]


@dataclasses.dataclass(frozen=True)
class Progress:
    """The progress table: shown as text in a terminal and as an HTML table in a notebook.

    Attributes:
        rows: one per shipped exercise (ids in order), then any other recorded exercise.
        path: the progress file read.
    """

    rows: list[Row]
    path: Path

    def __str__(self) -> str:
        table = [_HEADER] + [row.cells() for row in self.rows]
        widths = [max(len(line[column]) for line in table) for column in range(len(_HEADER))]
        lines = [
            "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
            for line in table
        ]
        speed = "best speed: modelled time over the reference's, among correct attempts"
        return "\n".join([*lines, f"({speed}; {self.path})"])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(cell)}</th>" for cell in _HEADER)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row.cells()) + "</tr>"
            for row in self.rows
        )
        note = "best speed: modelled time over the reference's, among correct attempts"
        return f"<table><tr>{head}</tr>{body}</table><p><small>{html.escape(note)}</small></p>"


def progress() -> Progress:
    """The table of every shipped exercise, with "not attempted" for those never checked.

    Example:
        >>> print(progress())  # doctest: +SKIP
        exercise    state          best score  best speed  attempts  last attempt (UTC)
        cann_add    not attempted                          0
        vector_add  done           10/10       1.00x       2         2025-01-01T12:00:00+00:00
    """
    recorded = load()
    shipped = list_exercises()
    rows = [Row(i, recorded.get(i)) for i in shipped]
    rows += [Row(i, entry) for i, entry in recorded.items() if i not in shipped]
    return Progress(rows, store_path())
