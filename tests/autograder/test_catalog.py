"""autograder/catalog.py and its users: --exercises DIR, then $CUDALIKE_EXERCISES, then shipped."""

import json
import os
import shutil

import pytest

from autograder import check
from autograder.catalog import ENV_VAR, SHIPPED_DIR, find_exercise, list_exercises, search_path
from autograder.cli import main
from autograder.spec import load_exercise


def _copy(exercise_id: str, folder, new_id: str | None = None):
    """A copy of a shipped exercise in `folder`, renamed to `new_id` (id and folder)."""
    target = folder / (new_id or exercise_id)
    shutil.copytree(SHIPPED_DIR / exercise_id, target)
    if new_id:
        toml = target / "exercise.toml"
        toml.write_text(toml.read_text().replace(f'id = "{exercise_id}"', f'id = "{new_id}"'))
    return target


def test_search_order_is_given_folders_then_the_variable_then_shipped(tmp_path, monkeypatch):
    first, second, third = (tmp_path / name for name in ("first", "second", "third"))
    monkeypatch.setenv(ENV_VAR, os.pathsep.join([str(second), str(third)]))
    assert search_path([first]) == [first, second, third, SHIPPED_DIR]
    monkeypatch.delenv(ENV_VAR)
    assert search_path() == [SHIPPED_DIR]


def test_the_first_folder_holding_an_id_wins(tmp_path, monkeypatch):
    mine = _copy("vector_add", tmp_path / "mine")
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "mine"))
    assert find_exercise("vector_add") == mine
    assert load_exercise("vector_add").path == mine.resolve()
    monkeypatch.delenv(ENV_VAR)
    assert load_exercise("vector_add").path == SHIPPED_DIR / "vector_add"


def test_an_instructors_exercise_is_found_by_every_command(tmp_path, monkeypatch, capsys):
    _copy("vector_add", tmp_path / "course", "saxpy_like")
    solution = tmp_path / "course" / "saxpy_like" / "solution.py"
    assert main(["list"]) == 0 and "saxpy_like" not in capsys.readouterr().out
    assert main(["list", "--exercises", str(tmp_path / "course")]) == 0
    assert "saxpy_like" in capsys.readouterr().out
    assert main(["check", "saxpy_like", str(solution)]) == 2
    assert "CUDALIKE_EXERCISES" in capsys.readouterr().err
    folder = ["--exercises", str(tmp_path / "course")]
    assert main(["check", "saxpy_like", str(solution), *folder]) == 0
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "course"))
    assert "saxpy_like" in list_exercises()
    assert main(["check", "saxpy_like", str(solution)]) == 0


def test_check_in_a_notebook_finds_an_exercise_by_argument_or_variable(tmp_path, monkeypatch):
    _copy("vector_add", tmp_path / "course", "saxpy_like")
    solution = tmp_path / "course" / "saxpy_like" / "solution.py"
    with pytest.raises(FileNotFoundError, match="no exercise 'saxpy_like'"):
        check("saxpy_like", solution, record=False)
    result = check("saxpy_like", solution, exercises=tmp_path / "course", record=False)
    assert result.full_marks and result.exercise == "saxpy_like"
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "course"))
    assert check("saxpy_like", solution, record=False).full_marks


def test_fetch_copies_the_starter_only_and_never_overwrites_work(tmp_path, capsys):
    shipped = load_exercise("vector_add").path
    (tmp_path / "course").mkdir()
    course = _copy("vector_add", tmp_path / "course")
    (course / "data").mkdir()
    (course / "data" / "table.csv").write_text("1,2\n")
    (course / "_notes.md").write_text("instructor only")
    folder = ["--exercises", str(tmp_path / "course")]
    assert main(["fetch", "vector_add", str(tmp_path / "work"), *folder]) == 0
    got = sorted(p.relative_to(tmp_path / "work").as_posix() for p in tmp_path.rglob("work/**/*"))
    assert got == [
        "vector_add",
        "vector_add/data",
        "vector_add/data/table.csv",
        "vector_add/starter.ipynb",
    ]
    starter = tmp_path / "work" / "vector_add" / "starter.ipynb"
    assert starter.read_bytes() == (shipped / "starter.ipynb").read_bytes()
    starter.write_text("my work")
    assert main(["fetch", "vector_add", str(tmp_path / "work"), *folder]) == 2
    assert "not overwriting" in capsys.readouterr().err and starter.read_text() == "my work"
    assert main(["fetch", "vector_add", str(tmp_path / "work"), "--force", *folder]) == 0
    assert json.loads(starter.read_text())["cells"]


def test_fetch_defaults_to_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["fetch", "map_2d"]) == 0
    assert (tmp_path / "map_2d" / "starter.ipynb").is_file()


def test_release_writes_every_exercise_without_answers(tmp_path, capsys):
    _copy("map_2d", tmp_path / "course", "extra_map")
    assert main(["release", str(tmp_path / "out"), "--exercises", str(tmp_path / "course")]) == 0
    released = {p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*")}
    ids = list_exercises(search=[tmp_path / "course"])
    assert "extra_map" in ids
    assert released == {i for i in ids} | {f"{i}/starter.ipynb" for i in ids}
    assert main(["release", str(tmp_path / "out"), "--only", "map_2d"]) == 2
    assert main(["release", str(tmp_path / "only"), "--only", "map_2d"]) == 0
    assert [p.name for p in (tmp_path / "only").iterdir()] == ["map_2d"]
