"""Tests for autograder/cli.py and autograder/batch.py: commands, exit codes, resuming."""

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.spec import load_exercise

FILES = Path(__file__).parent / "files"
SOLUTION = load_exercise("vector_add").path / "solution.py"
STARTER = load_exercise("vector_add").path / "starter.ipynb"


def test_check_exit_codes(capsys, tmp_path):
    assert (
        main(["check", "vector_add", str(SOLUTION), "--gradescope", str(tmp_path / "r.json")]) == 0
    )
    assert "score: 10/10 (graded)" in capsys.readouterr().out
    assert json.loads((tmp_path / "r.json").read_text())["score"] == 10
    assert main(["check", "vector_add", str(STARTER)]) == 1
    assert main(["check", "no_such_exercise", str(SOLUTION)]) == 2
    assert main(["check", "vector_add", str(tmp_path / "missing.ipynb")]) == 2
    assert "no file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["check", "vector_add"])
    assert usage.value.code == 2


def test_list_and_validate_exercise(capsys):
    assert main(["list"]) == 0
    assert "vector_add     simt" in capsys.readouterr().out
    assert main(["validate-exercise", "vector_add"]) == 0
    assert "ok (solution full marks, starter zero)" in capsys.readouterr().out
    assert main(["validate-exercise", "nope"]) == 1


def _class_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "submissions"
    (folder / "carol").mkdir(parents=True)
    shutil.copy(SOLUTION, folder / "alice.py")
    shutil.copy(FILES / "grade" / "wrong_vector_add.py", folder / "bob.py")
    shutil.copy(FILES / "grade" / "not_a_notebook.ipynb", folder / "carol" / "notebook.ipynb")
    (folder / "dave.pdf").write_bytes(b"%PDF-1.4 \xff\xfe")
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "alice.py").write_text("skipped")
    return folder


def test_grade_writes_a_row_for_every_submission_and_resumes(tmp_path, capsys):
    folder, out = _class_folder(tmp_path), tmp_path / "out"
    assert main(["grade", "vector_add", str(folder), "--out", str(out), "--seed", "7"]) == 0
    names = ["alice.py", "bob.py", "carol/notebook.ipynb", "dave.pdf"]
    assert "4/4" in capsys.readouterr().err
    rows = list(csv.DictReader((out / "grades.csv").open()))
    assert [row["submission"].removeprefix(str(folder) + "/") for row in rows] == names
    assert [row["status"] for row in rows] == ["graded", "graded", "rejected", "rejected"]
    assert [row["score"] for row in rows] == ["10", "0", "0", "0"]
    for name in names:
        assert (out / "feedback" / f"{name}.html").is_file()
        assert "tests" in json.loads((out / "gradescope" / name / "results.json").read_text())

    kept = {n: (out / "results" / f"{n}.json").stat().st_mtime_ns for n in names}
    (out / "results" / "bob.py.json").unlink()
    assert main(["grade", "vector_add", str(folder), "--out", str(out), "--resume"]) == 0
    assert "1/1" in capsys.readouterr().err  # exactly one regraded
    for name in ["alice.py", "carol/notebook.ipynb", "dave.pdf"]:
        assert (out / "results" / f"{name}.json").stat().st_mtime_ns == kept[name]
    rows = list(csv.DictReader((out / "grades.csv").open()))
    assert len(rows) == 4 and len({row["submission"] for row in rows}) == 4

    (out / "grades.csv").unlink()
    assert main(["report", str(out)]) == 0
    assert "4 submissions: 2 graded, 2 rejected, 0 error" in capsys.readouterr().out
    assert len(list(csv.DictReader((out / "grades.csv").open()))) == 4
    assert main(["report", str(tmp_path / "empty")]) == 2


@pytest.mark.slow
def test_grade_in_parallel_from_the_command_line(tmp_path):
    folder, out = _class_folder(tmp_path), tmp_path / "out"
    command = [sys.executable, "-m", "autograder", "grade", "vector_add", f"{folder}/*.py"]
    done = subprocess.run(
        [*command, "--out", str(out), "--jobs", "2"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "2/2" in done.stderr and "2 submissions: 2 graded" in done.stdout
    assert sorted(p.name for p in (out / "results").iterdir()) == ["alice.py.json", "bob.py.json"]
