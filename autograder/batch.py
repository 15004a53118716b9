"""Grade a class: every file of a folder or glob, in parallel, resumable, one result each.

Stages, in order:
1. `find_submissions`: every file under the folder (hidden files and folders skipped) or every
   file the glob matches; each is a submission, also one that is not a notebook;
2. skip, with `resume`, those whose result JSON exists and validates (`result.validated`),
   unless its status is "error": a grader error, or a JSON that does not parse or validate,
   is graded again;
3. grade the rest in `jobs` supervised worker processes (`_pool`: each submission's whole
   grading, extraction included, in a worker under a wall-clock and a memory limit; a worker
   that dies, hangs or is killed is replaced and its submission gets an "error" row saying
   so), or, with `executor="dask://HOST:PORT"`, on a Dask cluster (`dask_executor`). This
   process alone writes: each result JSON atomically, the moment its submission is graded,
   so an interrupted run loses only the submissions in flight and a rerun duplicates nothing;
4. write the class CSV, a Gradescope results.json and an HTML page per submission, all from
   the result JSONs (`write_reports`, also what `cudalike-grade report` runs).
Every submission found gets a row: a failure of the grader on one is that one's "error" row.
"""

from __future__ import annotations

import glob
import json
import os
import time
from pathlib import Path
from typing import TextIO

from autograder import _pool, report
from autograder.result import SubmissionResult, validated
from autograder.sandbox import Limits

__all__ = ["find_submissions", "grade_class", "load_class", "write_reports"]


def find_submissions(target: str | os.PathLike) -> list[tuple[Path, str]]:
    """(path, name) of each submission; the name is its path relative to the folder."""
    target = Path(target)
    if target.is_dir():
        paths = [p for p in target.rglob("*") if p.is_file()]
        root = target
    else:
        paths = [Path(p) for p in glob.glob(str(target), recursive=True) if Path(p).is_file()]
        root = Path(os.path.commonpath([p.parent for p in paths])) if paths else Path()
    found = [(p, p.relative_to(root).as_posix()) for p in paths]
    visible = [
        (p, name) for p, name in found if not any(s.startswith(".") for s in name.split("/"))
    ]
    return sorted(visible, key=lambda item: item[1])


def result_path(out: Path, name: str) -> Path:
    """Where the result JSON of submission `name` lives."""
    return out / "results" / f"{name}.json"


def grade_class(
    exercise: str,
    target: str | os.PathLike,
    out: str | os.PathLike,
    *,
    jobs: int = 1,
    resume: bool = False,
    seed: int | None = None,
    limits: Limits | None = None,
    progress: TextIO | None = None,
    executor: str | None = None,
) -> list[SubmissionResult]:
    """Grade every submission of `target` into `out`; see the module docstring for the stages.

    Args:
        exercise: the exercise id or folder.
        target: a folder of submissions or a glob pattern.
        out: the output folder (results/, grades.csv, gradescope/, feedback/).
        jobs: worker processes (at least one: grading never runs in this process).
        resume: keep the valid results already in `out` (except grader errors) instead of
            regrading.
        seed: one seed for every submission; a fresh one per submission when None.
        limits: the sandbox's limits.
        progress: where the progress bar goes (None: nowhere).
        executor: None for the local pool of `jobs` processes, or "dask://HOST:PORT" to grade
            on that Dask scheduler's cluster (`jobs` is then ignored).

    Returns:
        The results of every submission found, sorted by name.
    """
    out = Path(out)
    submissions = find_submissions(target)
    todo = [(p, n) for p, n in submissions if not (resume and _finished(result_path(out, n)))]
    bar = _Progress(len(todo), progress)
    limits = limits or Limits()
    tasks = [_pool.Task(exercise, str(p), str(result_path(out, n)), seed, limits) for p, n in todo]
    if executor is not None:
        from autograder import dask_executor  # lazy: `distributed` is an optional extra

        dask_executor.grade_on_dask(executor, tasks, bar.update, _error_result)
    else:

        def deliver(task: _pool.Task, result: SubmissionResult) -> None:
            report.write_json(result, task.destination)
            bar.update(result)

        _pool.grade_all(tasks, max(jobs, 1), deliver)
    bar.finish()
    results = [_load_or_error(exercise, path, result_path(out, name)) for path, name in submissions]
    write_reports(results, out, [name for _, name in submissions])
    return results


def load_class(out: str | os.PathLike) -> tuple[list[SubmissionResult], list[str]]:
    """The results under `out`/results and the submission names they were written for; a
    file that is not a valid result becomes an "error" row naming it."""
    folder = Path(out) / "results"
    paths = sorted(folder.rglob("*.json"))
    names = [path.relative_to(folder).as_posix().removesuffix(".json") for path in paths]
    return [_load_or_error("", name, path) for path, name in zip(paths, names, strict=True)], names


def write_reports(
    results: list[SubmissionResult], out: str | os.PathLike, names: list[str]
) -> None:
    """grades.csv, gradescope/NAME/results.json and feedback/NAME.html under `out`."""
    out = Path(out)
    report.write_csv(results, out / "grades.csv")
    for result, name in zip(results, names, strict=True):
        gradescope = json.dumps(report.gradescope(result), indent=1) + "\n"
        report.write_atomic(out / "gradescope" / name / "results.json", gradescope)
        report.write_atomic(out / "feedback" / f"{name}.html", report.html(result))


def _finished(path: Path) -> bool:
    try:
        return _load(path).status != "error"
    except (OSError, ValueError):
        return False


def _load(path: Path) -> SubmissionResult:
    return validated(json.loads(path.read_text(encoding="utf-8", errors="replace")))


def _load_or_error(exercise: str, submission: str | Path, path: Path) -> SubmissionResult:
    """The result at `path`, or an "error" row (not written) when it is missing or invalid."""
    try:
        return _load(path)
    except (OSError, ValueError) as error:
        return _error_result(exercise, str(submission), None, f"no valid result: {error}")


def _error_result(
    exercise: str, path: str, destination: str | None, message: str
) -> SubmissionResult:
    """An "error" row (regraded by --resume), written to `destination` when one is given."""
    result = SubmissionResult(
        str(exercise), path, "error", 0.0, 0.0, [], [], None, [], message=message
    )
    if destination is not None:
        report.write_json(result, destination)
    return result


class _Progress:
    """A plain-text progress bar: redrawn in place on a terminal, else a line per tenth."""

    def __init__(self, total: int, stream: TextIO | None):
        self.total, self.stream, self.done = total, stream, 0
        self.counts = {"graded": 0, "rejected": 0, "error": 0}
        self.start = time.monotonic()
        self.tty = bool(stream) and stream.isatty()

    def update(self, result: SubmissionResult) -> None:
        self.done += 1
        self.counts[result.status] += 1
        if self.stream is None:
            return
        step = max(self.total // 10, 1)
        if self.tty or self.done % step == 0 or self.done == self.total:
            self.stream.write(
                ("\r" if self.tty else "") + self._line() + ("" if self.tty else "\n")
            )
            self.stream.flush()

    def finish(self) -> None:
        if self.stream is not None and self.tty:
            self.stream.write("\n")

    def _line(self) -> str:
        width = 30
        filled = width * self.done // max(self.total, 1)
        elapsed = time.monotonic() - self.start
        counts = " ".join(f"{status} {count}" for status, count in self.counts.items())
        bar = "#" * filled + "." * (width - filled)
        return f"[{bar}] {self.done}/{self.total}  {counts}  {elapsed:.1f} s"
