"""The instructor's workflow: new -> validate-exercise -> grade a class, all via --exercises.

Also what validate-exercise must catch: a reference that leaves output elements unwritten (the
grader would expect its fill there) and a starter whose launch cell fails in a real kernel.
"""

import csv
import json
import shutil
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.spec import load_exercise
from autograder.starter import solved_starter
from autograder.validate import validate_exercise


def _new(tmp_path: Path, exercise_id: str = "saxpy", track: str = "simt") -> Path:
    assert main(["new", exercise_id, "--track", track, "--dir", str(tmp_path / "ex")]) == 0
    return tmp_path / "ex" / exercise_id


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new))


def test_new_refuses_a_bad_id_and_an_existing_folder(tmp_path, capsys):
    _new(tmp_path)
    assert main(["new", "saxpy", "--dir", str(tmp_path / "ex")]) == 2
    assert "exists" in capsys.readouterr().err
    assert main(["new", "class", "--dir", str(tmp_path / "ex")]) == 2
    assert "Python keyword" in capsys.readouterr().err
    assert main(["new", "Bad-Id", "--dir", str(tmp_path / "ex")]) == 2


def test_a_reference_that_leaves_elements_unwritten_is_rejected(tmp_path):
    folder = _new(tmp_path)
    _replace(folder / "reference.py", "if i < out.size:", "if i < out.size - 1:")
    problems = validate_exercise(str(folder), notebooks=False)
    assert problems == [
        "saxpy: reference.py never writes out[999] at n=1000 (1 of 1000 elements unwritten): "
        'write every element, or declare fill = "zeros" under [outputs.out] so that unwritten '
        "elements are expected to stay 0"
    ]
    _replace(folder / "exercise.toml", '# fill = "zeros"', 'fill = "zeros"')
    assert not any("never writes" in p for p in validate_exercise(str(folder), notebooks=False))


@pytest.mark.slow
def test_a_starter_whose_launch_cell_fails_is_reported(tmp_path):
    folder = _new(tmp_path)
    _replace(folder / "starter.ipynb", "alpha = np.float32(2.0)", "alpha = np.float32(two)")
    problems = validate_exercise(str(folder))
    assert "saxpy: starter.ipynb cell 3: NameError: name 'two' is not defined" in problems


def _submissions(folder: Path, spec_folder: Path) -> dict[str, int]:
    """Ten submissions and the score each must get (out of 10)."""
    solution = (spec_folder / "solution.py").read_text()
    starter = spec_folder / "starter.ipynb"
    expected = {}
    for name in ("ada", "bo", "cy"):
        (folder / f"{name}.py").write_text(solution)
        expected[f"{name}.py"] = 10
    notebook = solved_starter(load_exercise(spec_folder))
    (folder / "dee.ipynb").write_text(json.dumps(notebook))
    expected["dee.ipynb"] = 10
    for name in ("eve", "fay"):
        shutil.copy(starter, folder / f"{name}.ipynb")
        expected[f"{name}.ipynb"] = 0
    for name in ("gus", "hal"):
        (folder / f"{name}.py").write_text(solution.replace("alpha * x[i] + y[i]", "x[i] + y[i]"))
        expected[f"{name}.py"] = 0
    (folder / "ivy.py").write_text(solution.replace("if i < out.size:", "if i < out.size - 1:"))
    expected["ivy.py"] = 0  # the last element is never written
    (folder / "jo.py").write_text("this is not python")
    expected["jo.py"] = 0
    return expected


@pytest.mark.slow
def test_a_new_exercise_validates_as_generated_and_grades_a_class(tmp_path, capsys):
    folder = _new(tmp_path)
    exercises = ["--exercises", str(tmp_path / "ex")]
    assert main(["validate-exercise", "saxpy", *exercises]) == 0
    assert "saxpy: ok" in capsys.readouterr().out
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    expected = _submissions(submissions, folder)
    out = tmp_path / "graded"
    command = ["grade", "saxpy", str(submissions), "--out", str(out), "--jobs", "2", *exercises]
    assert main(command) == 0
    with (out / "grades.csv").open() as file:
        rows = {Path(row["submission"]).name: row for row in csv.DictReader(file)}
    assert {name: float(row["score"]) for name, row in rows.items()} == expected
    assert rows["jo.py"]["status"] == "rejected" and rows["ada.py"]["status"] == "graded"
    assert len(list((out / "feedback").glob("*.html"))) == 10
    ivy = json.loads((out / "results" / "ivy.py.json").read_text())
    assert "out[999] was never written" in ivy["tests"][0]["output"]


@pytest.mark.slow
def test_a_new_cann_exercise_validates_as_generated(tmp_path):
    folder = _new(tmp_path, "mul_half", "cann")
    assert validate_exercise("mul_half", search=[folder.parent]) == []
