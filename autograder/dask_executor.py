"""Grade a class on a Dask distributed cluster: `cudalike-grade grade ... --executor dask://HOST:PORT`.

`batch.grade_class` hands its work list here instead of to the local process pool. Each
submission is one task, `client.submit(grade_bytes, ...)`; results are taken as they complete
(`distributed.as_completed`) and written here, by the client, exactly as the local pool writes
them: one atomic JSON per submission the moment it is graded, so an interrupted run loses only
the submissions in flight and `--resume` duplicates nothing.

The submission travels as bytes, so workers need no shared file system for the class folder;
they do need the same cudalike install (and the exercise: a shipped id, or a folder at the same
path). A worker grades exactly as `grade_submission` does locally: the submission's kernels in a
sandboxed child of the worker. `distributed` is an optional extra (`pip install
'cudalike[dask]'`), imported only when this module runs.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable
from pathlib import Path

from autograder import report
from autograder.grade import grade_submission
from autograder.result import SubmissionResult
from autograder.sandbox import Limits

__all__ = ["SCHEME", "grade_bytes", "grade_on_dask"]

SCHEME = "dask://"

# (exercise, submission path, result JSON path, seed, limits): batch.grade_class's work items.
WorkItem = tuple[str, str, str, int | None, Limits | None]


def grade_bytes(
    exercise: str, name: str, content: bytes | None, seed: int | None, limits: Limits | None
) -> SubmissionResult:
    """Grade a submission given as bytes (on a Dask worker); the result names it `name`.

    Args:
        exercise: the exercise id or folder (as the worker sees it).
        name: the submission's path on the client, recorded in the result.
        content: the submission file's bytes; None when the client could not read it, and
            then the worker grades `name` itself (a "rejected" row saying why, as locally).
        seed: the inputs' seed (None: fresh).
        limits: the sandbox's limits.

    Returns:
        The result, with `submission` set to `name`.
    """
    if content is None:
        return grade_submission(exercise, name, seed=seed, limits=limits)
    with tempfile.TemporaryDirectory(prefix="cudalike-dask-") as folder:
        path = Path(folder) / Path(name).name  # same file name: findings read the same
        path.write_bytes(content)
        result = grade_submission(exercise, path, seed=seed, limits=limits)
    return dataclasses.replace(result, submission=name)


def grade_on_dask(
    address: str,
    items: list[WorkItem],
    on_result: Callable[[SubmissionResult], None],
    on_failure: Callable[[str, str, str, str], SubmissionResult],
) -> None:
    """Grade every work item on the cluster at `address`, writing each result JSON on arrival.

    Args:
        address: "dask://HOST:PORT" (the scheduler; "tcp://" is what Dask itself is told).
        items: the work items of `batch.grade_class`.
        on_result: called with each result once its JSON is written (the progress bar).
        on_failure: `(exercise, path, destination, message)` -> the "error" row, written, for a
            task that failed (a grader crash or a lost worker): a row, never a lost submission.

    Raises:
        ImportError: `distributed` is not installed (the `dask` extra).
        OSError: the scheduler cannot be reached.
    """
    try:
        from distributed import Client, as_completed
    except ImportError as error:
        raise ImportError("--executor dask:// needs Dask: pip install 'cudalike[dask]'") from error
    scheduler = "tcp://" + address.removeprefix(SCHEME)
    with Client(scheduler, timeout="10s") as client:
        futures = {
            client.submit(grade_bytes, exercise, path, _read(path), seed, limits, pure=False): (
                exercise,
                path,
                destination,
            )
            for exercise, path, destination, seed, limits in items
        }
        for future in as_completed(futures):
            exercise, path, destination = futures[future]
            try:
                result = future.result()
            except Exception as error:  # the task or its worker failed: record it, keep going
                on_result(
                    on_failure(exercise, path, destination, f"grading task failed: {error!r}")
                )
                continue
            report.write_json(result, destination)
            on_result(result)


def _read(path: str) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except OSError:
        return None
