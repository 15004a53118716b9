"""Tests for autograder/_pool.py and batch.py's use of it: a class is always graded.

Workers that die, hang, exit or answer garbage (files/flaky_worker.py, by file name) cost
their own submission an "error" row naming what happened, and nothing else; `--resume`
regrades those rows and any result file that does not validate.
"""

import json
import shutil

import pytest

from autograder import _pool
from autograder.batch import grade_class
from autograder.sandbox import Limits
from autograder.spec import load_exercise

SOLUTION = load_exercise("vector_add").path / "solution.py"
pytestmark = pytest.mark.slow


def test_failing_workers_cost_only_their_own_rows_and_resume_completes_the_class(
    tmp_path, monkeypatch
):
    folder, out = tmp_path / "submissions", tmp_path / "out"
    folder.mkdir()
    names = ["alice.py", "exit.py", "garbage.py", "hang.py", "kill.py", "zoe.py"]
    for name in names:
        shutil.copy(SOLUTION, folder / name)
    monkeypatch.setattr(_pool, "WORKER_MODULE", "tests.autograder.files.flaky_worker")
    limits = Limits(grading_seconds=25)
    graded = grade_class("vector_add", folder, out, jobs=2, limits=limits)
    results = {result.submission.rpartition("/")[2]: result for result in graded}
    assert results["alice.py"].full_marks and results["zoe.py"].full_marks
    assert results["kill.py"].message == "the grading worker was killed by SIGKILL"
    assert results["exit.py"].message == "the grading worker exited with status 3"
    assert results["hang.py"].message == "timed out after 25 s"
    assert results["garbage.py"].message.startswith("the grading worker sent back an invalid")
    assert all(results[name].status == "error" for name in ["exit.py", "garbage.py", "hang.py"])
    rows = (out / "grades.csv").read_text().splitlines()
    assert len(rows) == 1 + len(names)
    # A result file that does not parse, or parses but does not validate, is graded again.
    (out / "results" / "alice.py.json").write_text("{not json")
    zoe = out / "results" / "zoe.py.json"
    zoe.write_text(json.dumps({**json.loads(zoe.read_text()), "score": "10"}))
    monkeypatch.setattr(_pool, "WORKER_MODULE", "autograder._worker")
    results = grade_class("vector_add", folder, out, jobs=2, resume=True)
    assert all(result.full_marks for result in results), [r.message for r in results]
