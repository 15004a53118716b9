"""A test cell for nbgrader and Otter-Grader: `assert_passes` raises on failure, prints the score.

    from autograder import assert_passes
    assert_passes("vector_add", "vector_add.ipynb")  # nbgrader: worth the cell's points

The cell runs in the learner's kernel, but the grade is not computed there: `assert_passes` starts
a fresh interpreter (`python -I -m autograder check`), which reads the notebook file statically
and runs the submission's kernels in its own sandbox. Monkeypatches, shadowing modules in the
working folder and `PYTHON*` variables set in the kernel do not reach it. What the kernel can
still forge is this cell's own outcome (any code in the same process can), so the authoritative
grade is `cudalike-grade grade` on the submitted files; docs/autograder-interop.md explains.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from autograder import report
from autograder.result import SubmissionResult

__all__ = ["assert_passes"]

# Exit codes of `cudalike-grade check` (autograder/cli.py) that mean a graded submission.
_GRADED = (0, 1)


def assert_passes(
    exercise: str,
    path: str | os.PathLike | None = None,
    *,
    min_score: float | None = None,
) -> SubmissionResult:
    """Grade a notebook or script in a fresh sandboxed process; raise unless it scores enough.

    Args:
        exercise: the exercise id ("vector_add") or folder.
        path: the submission (`.ipynb` or `.py`). None: the cells run so far in this IPython
            kernel (its `In` history), for a notebook whose file name is not known.
        min_score: the score needed; None means full marks.

    Returns:
        The result, when the score reaches `min_score`.

    Raises:
        AssertionError: the score is below `min_score` (or the submission was rejected); the
            message holds the failing tests' output.
        RuntimeError: the grader itself failed (never the learner's fault), or `path` is None
            outside IPython.
        FileNotFoundError: no such exercise or file.
    """
    with tempfile.TemporaryDirectory(prefix="cudalike-check-") as folder:
        source = Path(path).resolve() if path is not None else _history_notebook(Path(folder))
        if not source.is_file():
            raise FileNotFoundError(f"no file {source}")
        destination = Path(folder) / "result.json"
        command = [sys.executable, "-I", "-m", "autograder", "check", os.fspath(exercise)]
        command += [str(source), "--json", str(destination)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode not in _GRADED or not destination.is_file():
            message = done.stderr.strip() or done.stdout.strip()
            if "error: " in message and done.returncode == 2:
                raise FileNotFoundError(message.rpartition("error: ")[2])
            raise RuntimeError(f"the grader failed (exit {done.returncode}): {message}")
        result = SubmissionResult.from_dict(json.loads(destination.read_text(encoding="utf-8")))
    print(report.text(result))  # the tests, then "score: X/Y (status)"
    if result.status == "error":
        raise RuntimeError(f"the grader failed: {result.message}")
    needed = result.max_score if min_score is None else min_score
    if result.status != "graded" or result.score < needed:
        failing = [f"{t.name}: {t.output}" for t in result.tests if not t.passed]
        lines = [
            f"{result.exercise}: score {result.score:g}/{result.max_score:g}, needed {needed:g}",
            *(finding for finding in result.findings if ": note: " not in finding),
            *failing,
        ]
        raise AssertionError("\n".join(lines))
    return result


def _history_notebook(folder: Path) -> Path:
    """Write this kernel's executed cells (IPython's `In`) as a notebook; return its path."""
    try:
        from IPython import get_ipython
    except ImportError:
        shell = None
    else:
        shell = get_ipython()
    if shell is None:
        raise RuntimeError("assert_passes(exercise) without a path works only in IPython")
    cells = [
        {
            "cell_type": "code",
            "metadata": {},
            "source": code,
            "outputs": [],
            "execution_count": None,
        }
        for code in shell.user_ns.get("In", [])[1:]
        if code.strip()
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = folder / "history.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path
