"""A wheel install, not editable, carries every exercise: list, fetch, check, grade, check().

The wheel is built from a copy of the source tree (so the build leaves nothing in the
repository) with pip's ordinary build isolation, then installed into a fresh virtual
environment that borrows only its dependencies from this one (a .pth line), and every command
runs from a folder outside the repository. pip needs its package index for setuptools.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from autograder.spec import list_exercises

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
_LEFT_OUT = shutil.ignore_patterns(
    ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
)


def _run(command: list, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{command}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh environment with the cudalike wheel installed; returns its bin folder."""
    base = tmp_path_factory.mktemp("wheel")
    shutil.copytree(ROOT, base / "source", ignore=_LEFT_OUT)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", "dist", "./source"], base)
    (wheel,) = (base / "dist").glob("cudalike-*.whl")
    _run([sys.executable, "-m", "venv", "--without-pip", "env"], base)
    python = base / "env" / "bin" / "python"
    site = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], base)
    # Dependencies (and pip) from this environment, after the wheel's own files.
    Path(site.stdout.strip(), "dependencies.pth").write_text(sysconfig.get_paths()["purelib"])
    install = [python, "-m", "pip", "install", "-q", "--no-deps", "--ignore-installed", wheel]
    _run(install, base)
    return base / "env" / "bin"


def _env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CUDALIKE_EXERCISES")}
    return env | extra


def test_the_installed_package_is_the_wheel(installed, tmp_path):
    code = "import autograder, cudalike; print(autograder.__file__); print(cudalike.__file__)"
    done = _run([installed / "python", "-c", code], tmp_path, _env())
    for line in done.stdout.split():
        assert Path(line).is_relative_to(installed.parent), line


def test_list_fetch_check_and_grade_from_the_wheel(installed, tmp_path):
    grade = installed / "cudalike-grade"
    listed = _run([grade, "list"], tmp_path, _env()).stdout
    assert [line.split()[0] for line in listed.splitlines()] == list_exercises()
    _run([grade, "fetch", "vector_add", "work"], tmp_path, _env())
    assert sorted(p.name for p in (tmp_path / "work" / "vector_add").iterdir()) == ["starter.ipynb"]
    where = "from autograder.spec import load_exercise; print(load_exercise('vector_add').path)"
    shipped = Path(_run([installed / "python", "-c", where], tmp_path, _env()).stdout.strip())
    assert shipped.is_relative_to(installed.parent)
    solution = shipped / "solution.py"
    assert "score: 10/10" in _run([grade, "check", "vector_add", solution], tmp_path, _env()).stdout
    (tmp_path / "class").mkdir()
    shutil.copy(solution, tmp_path / "class" / "ada.py")
    shutil.copy(tmp_path / "work" / "vector_add" / "starter.ipynb", tmp_path / "class" / "bo.ipynb")
    _run([grade, "grade", "vector_add", "class", "--out", "graded"], tmp_path, _env())
    with (tmp_path / "graded" / "grades.csv").open() as file:
        scores = {Path(row["submission"]).name: row["score"] for row in csv.DictReader(file)}
    assert scores == {"ada.py": "10", "bo.ipynb": "0"}


def test_notebook_check_and_assert_passes_from_the_wheel(installed, tmp_path):
    shutil.copy(ROOT / "exercises" / "vector_add" / "solution.py", tmp_path / "mine.py")
    code = (
        "from autograder import assert_passes, check\n"
        "assert check('vector_add', 'mine.py', record=False).full_marks\n"
        "assert_passes('vector_add', 'mine.py')\n"
    )
    _run([installed / "python", "-c", code], tmp_path, _env())


def test_an_instructors_exercise_through_the_variable(installed, tmp_path):
    grade = installed / "cudalike-grade"
    _run([grade, "new", "saxpy", "--dir", "mine"], tmp_path, _env())
    env = _env(CUDALIKE_EXERCISES=str(tmp_path / "mine"))
    assert "saxpy" in _run([grade, "list"], tmp_path, env).stdout
    solution = tmp_path / "mine" / "saxpy" / "solution.py"
    _run([grade, "check", "saxpy", solution], tmp_path, env)
    code = f"from autograder import check; assert check('saxpy', {str(solution)!r}).full_marks"
    _run([installed / "python", "-c", code], tmp_path, env)


def test_the_wheel_grades_in_bubblewrap_where_it_works(installed, tmp_path):
    """An installation under /tmp (a CI runner's venv) must stay visible inside the sandbox."""
    from autograder import _isolation

    if not _isolation.bwrap_works():
        pytest.skip("bubblewrap does not work here: the fallback sandbox is tested elsewhere")
    code = "from autograder import _isolation; print(_isolation.choose('auto'))"
    done = _run([installed / "python", "-c", code], tmp_path, _env(CUDALIKE_SANDBOX="auto"))
    assert done.stdout.strip() == "bwrap"


def test_the_wheel_grades_in_the_fallback_sandbox(installed, tmp_path):
    """Without bubblewrap, and as root with an installation other users cannot read (a venv
    in a 0700 folder), the child still gets what it reads lazily (device profiles)."""
    grade = installed / "cudalike-grade"
    where = "from autograder.spec import load_exercise; print(load_exercise('vector_add').path)"
    shipped = Path(_run([installed / "python", "-c", where], tmp_path, _env()).stdout.strip())
    command = [grade, "check", "vector_add", shipped / "solution.py"]
    assert "score: 10/10" in _run(command, tmp_path, _env(CUDALIKE_SANDBOX="fallback")).stdout
