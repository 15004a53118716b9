"""Starter notebooks as learners run them: solved with the solution, run in a Jupyter kernel.

`validate-exercise` runs two notebooks in a fresh kernel (nbclient), each in a temporary copy
of the learner's files:
- the starter as shipped, which must run without an error (its launch cell included) and whose
  kernel must score zero;
- the solved starter (`solved_starter`): the cell marked `# TODO` replaced by that cell's
  imports and `solution.py`, which must score full marks.
A last cell is appended that grades the cells run so far with `autograder.check`, exactly as a
learner's check cell does, and prints the score for this module to read. The kernel gets
`CUDALIKE_EXERCISES` pointing at the exercise (so an exercise outside the search path is found)
and a temporary `CUDALIKE_DATA_DIR` (so the instructor's own progress is not touched).
"""

from __future__ import annotations

import ast
import dataclasses
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.catalog import ENV_VAR
from autograder.distribute import learner_files
from autograder.progress_store import ENV_VAR as DATA_ENV_VAR
from autograder.spec import Exercise

if TYPE_CHECKING:
    import nbformat

__all__ = ["NotebookRun", "TODO_MARK", "run_notebook", "solved_starter"]

TODO_MARK = "# TODO"
_SCORE_TAG = "CUDALIKE-NOTEBOOK-SCORE "


@dataclasses.dataclass(frozen=True)
class NotebookRun:
    """What running a notebook gave.

    Attributes:
        errors: one line per cell that raised, e.g. "cell 3: NameError: name 'n' is not
            defined", or why the notebook could not run at all.
        score: the score `check` gave the kernels run; None when the last cell did not run.
        max_score: the exercise's maximum score.
        status: the result's status ("graded", "rejected", "error"), "" when not graded.
    """

    errors: list[str]
    score: float | None
    max_score: float
    status: str


def solved_starter(spec: Exercise) -> nbformat.NotebookNode:
    """The starter with its `# TODO` cell replaced by that cell's imports and `solution.py`.

    Raises:
        ValueError: the starter does not have exactly one code cell marked `# TODO`.
    """
    import nbformat

    notebook = nbformat.read(spec.path / "starter.ipynb", as_version=4)
    todo = [c for c in notebook.cells if c.cell_type == "code" and TODO_MARK in c.source]
    if len(todo) != 1:
        raise ValueError(
            f"{spec.path / 'starter.ipynb'}: {len(todo)} code cells are marked {TODO_MARK!r}; "
            "exactly one (the kernel to write) is, so that the solution can replace it"
        )
    imports = [
        ast.get_source_segment(todo[0].source, node)
        for node in ast.parse(todo[0].source).body
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    todo[0].source = "\n".join(imports) + "\n\n" + (spec.path / "solution.py").read_text()
    return notebook


def run_notebook(
    spec: Exercise, notebook: nbformat.NotebookNode, *, timeout: int = 120
) -> NotebookRun:
    """Run `notebook` for `spec` in a fresh kernel, then grade it with `check`.

    Args:
        spec: the exercise.
        notebook: the notebook (not modified; a copy runs).
        timeout: seconds allowed per cell.

    Raises:
        ImportError: nbclient or ipykernel is missing (the `lab` extra installs them).
    """
    import nbformat
    from nbclient import NotebookClient

    copy = nbformat.from_dict(json.loads(json.dumps(notebook)))
    copy.cells.append(nbformat.v4.new_code_cell(_grading_cell(spec)))
    with tempfile.TemporaryDirectory(prefix="cudalike-notebook-") as folder:
        work = Path(folder) / spec.id
        for relative in learner_files(spec):
            (work / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(spec.path / relative, work / relative)
        work.mkdir(exist_ok=True)
        searched = os.environ.get(ENV_VAR, "")
        env = os.environ | {
            ENV_VAR: os.pathsep.join(p for p in (str(spec.path.parent), searched) if p),
            DATA_ENV_VAR: str(Path(folder) / "data"),
        }
        client = NotebookClient(
            copy,
            kernel_name="python3",
            timeout=timeout,
            allow_errors=True,
            resources={"metadata": {"path": str(work)}},
        )
        try:
            client.execute(env=env)
        except Exception as error:  # a dead kernel or a timeout: the notebook did not finish
            return NotebookRun([f"the notebook did not finish: {error}"], None, 0.0, "")
    errors = [
        f"cell {number}: {output.ename}: {output.evalue}"
        for number, cell in enumerate(copy.cells[:-1], start=1)
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]
    return _read_score(copy.cells[-1], errors)


def _grading_cell(spec: Exercise) -> str:
    return (
        "import json as _json\n"
        "from autograder import check as _check\n\n"
        f"_result = _check({spec.id!r})\n"
        f"print({_SCORE_TAG!r} + _json.dumps("
        "[_result.score, _result.max_score, _result.status]))"
    )


def _read_score(cell, errors: list[str]) -> NotebookRun:
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            errors.append(f"checking the notebook failed: {output.ename}: {output.evalue}")
        text = output.get("text", "") if output.output_type == "stream" else ""
        for line in text.splitlines():
            if line.startswith(_SCORE_TAG):
                score, max_score, status = json.loads(line[len(_SCORE_TAG) :])
                return NotebookRun(errors, score, max_score, status)
    return NotebookRun(errors, None, 0.0, "")
