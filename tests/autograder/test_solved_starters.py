"""The shipped starters, completed with the instructor solution, run clean and score full marks.

Each starter's `# TODO` cell is replaced by its imports and `solution.py`; a last cell checks in
place with `autograder.check`, as a learner would. The notebook runs in a fresh Jupyter kernel
(nbclient), so `check` reads the cells from the kernel's history.
"""

import nbformat
import pytest
from nbclient import NotebookClient

from autograder import grade_submission
from autograder.spec import list_exercises, load_exercise
from autograder.starter import solved_starter as solve

pytestmark = pytest.mark.slow


def solved_starter(exercise_id: str) -> nbformat.NotebookNode:
    """The starter solved (`autograder.starter.solved_starter`), then a cell checking it."""
    notebook = solve(load_exercise(exercise_id))
    check = f'from autograder import check\n\nassert check("{exercise_id}").full_marks'
    notebook.cells.append(nbformat.v4.new_code_cell(check))
    return notebook


@pytest.mark.parametrize("exercise_id", list_exercises())
def test_solved_starter_runs_and_scores_full_marks(exercise_id, tmp_path, monkeypatch):
    monkeypatch.setenv("CUDALIKE_DATA_DIR", str(tmp_path / "data"))
    notebook = solved_starter(exercise_id)
    NotebookClient(notebook, kernel_name="python3", timeout=60).execute()  # raises on error
    path = tmp_path / "solved.ipynb"
    nbformat.write(notebook, path)
    result = grade_submission(exercise_id, path)
    assert result.full_marks, [t.output for t in result.tests if not t.passed]
