"""Tests for autograder/interop.py: the nbgrader and Otter-Grader test cells of the docs' examples.

Each example runs as its tool would run it, in the folder of a submitted `vector_add.ipynb`: the
nbgrader cell is executed as a cell; the Otter test file is imported with a stand-in for
`otter.test_files.test_case` and its case called. A correct notebook passes and prints the
score; a wrong one raises AssertionError with the failing tests' output.
"""

import json
import sys
import types
from pathlib import Path

import pytest

from autograder import assert_passes
from autograder.spec import load_exercise

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
SOLUTION = load_exercise("vector_add").path / "solution.py"
WRONG = Path(__file__).parent / "files" / "grade" / "wrong_vector_add.py"


def _notebook(folder: Path, source: Path) -> None:
    """Write `source` as the code cell of folder/vector_add.ipynb, then a cell that calls it."""
    cells = [source.read_text(), "from autograder import assert_passes"]
    notebook = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "source": c, "outputs": [], "execution_count": 1}
            for c in cells
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (folder / "vector_add.ipynb").write_text(json.dumps(notebook))


def _run_nbgrader_cell() -> None:
    exec((EXAMPLES / "nbgrader_test_cell.py").read_text(), {"__name__": "__main__"})


def _run_otter_test(monkeypatch) -> None:
    cases = []
    otter = types.ModuleType("otter")
    otter.test_files = types.ModuleType("otter.test_files")
    otter.test_files.test_case = lambda **options: lambda function: cases.append(function)
    monkeypatch.setitem(sys.modules, "otter", otter)
    monkeypatch.setitem(sys.modules, "otter.test_files", otter.test_files)
    namespace: dict = {}
    exec((EXAMPLES / "otter_vector_add.py").read_text(), namespace)
    assert namespace["OK_FORMAT"] is False and namespace["points"] == 10
    for case in cases:
        case()


@pytest.mark.parametrize("tool", ["nbgrader", "otter"])
def test_example_cells_pass_a_correct_notebook(tool, tmp_path, monkeypatch, capsys):
    _notebook(tmp_path, SOLUTION)
    monkeypatch.chdir(tmp_path)
    _run_nbgrader_cell() if tool == "nbgrader" else _run_otter_test(monkeypatch)
    assert "score: 10/10 (graded)" in capsys.readouterr().out


@pytest.mark.parametrize("tool", ["nbgrader", "otter"])
def test_example_cells_fail_a_wrong_notebook(tool, tmp_path, monkeypatch, capsys):
    _notebook(tmp_path, WRONG)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AssertionError, match=r"score 0/10, needed 10\ncorrectness n=\d+: out\["):
        _run_nbgrader_cell() if tool == "nbgrader" else _run_otter_test(monkeypatch)
    assert "score: 0/10 (graded)" in capsys.readouterr().out


def test_min_score_and_missing_files(tmp_path, capsys):
    slow = Path(__file__).parent / "files" / "grade" / "slow_vector_add.py"
    result = assert_passes("vector_add", slow, min_score=8)
    assert 8 <= result.score < result.max_score
    with pytest.raises(AssertionError, match="needed 10"):
        assert_passes("vector_add", slow)
    with pytest.raises(FileNotFoundError):
        assert_passes("vector_add", tmp_path / "missing.ipynb")
    with pytest.raises(FileNotFoundError, match="no exercise"):
        assert_passes("no_such_exercise", SOLUTION)
    capsys.readouterr()


def test_the_grade_ignores_monkeypatches_in_the_calling_process(monkeypatch):
    from autograder import compare

    monkeypatch.setattr(compare, "compare_array", lambda *args, **kwargs: None)
    with pytest.raises(AssertionError, match="score 0/10"):
        assert_passes("vector_add", WRONG)


def test_without_a_path_outside_ipython_says_so():
    with pytest.raises(RuntimeError, match="only in IPython"):
        assert_passes("vector_add")
