"""Tests for autograder/dask_executor.py: `grade --executor dask://` against a loopback cluster.

Skipped when `distributed` is not installed (the `dask` extra), except under CI (the env var CI
set), where `make test` installs it with the dev extra and the test must run.
"""

import os
import shutil
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.spec import load_exercise

FILES = Path(__file__).parent / "files"
SOLUTION = load_exercise("vector_add").path / "solution.py"

if not os.environ.get("CI"):
    pytest.importorskip(
        "distributed", reason="the dask extra is not installed: pip install 'cudalike[dask]'"
    )


@pytest.fixture(scope="module")
def scheduler():
    """The address of a two-worker Dask cluster on loopback, as dask://HOST:PORT."""
    from distributed import LocalCluster

    with LocalCluster(
        processes=True,
        n_workers=2,
        threads_per_worker=1,
        host="127.0.0.1",
        scheduler_port=0,
        dashboard_address=None,
    ) as cluster:
        yield "dask://" + cluster.scheduler_address.removeprefix("tcp://")


def _class_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "submissions"
    (folder / "carol").mkdir(parents=True)
    shutil.copy(SOLUTION, folder / "alice.py")
    shutil.copy(FILES / "grade" / "wrong_vector_add.py", folder / "bob.py")
    shutil.copy(FILES / "grade" / "not_a_notebook.ipynb", folder / "carol" / "notebook.ipynb")
    shutil.copy(FILES / "syntax_error.ipynb", folder / "dave.ipynb")
    return folder


@pytest.mark.slow
def test_dask_executor_writes_what_the_local_pool_writes(tmp_path, scheduler, capsys):
    folder = _class_folder(tmp_path)
    local, remote = tmp_path / "local", tmp_path / "dask"
    common = ["grade", "vector_add", str(folder), "--seed", "7"]
    assert main([*common, "--out", str(local), "--jobs", "2"]) == 0
    assert main([*common, "--out", str(remote), "--executor", scheduler]) == 0
    assert "4/4" in capsys.readouterr().err
    assert (remote / "grades.csv").read_text() == (local / "grades.csv").read_text()
    for name in ["alice.py", "bob.py", "carol/notebook.ipynb", "dave.ipynb"]:
        assert (remote / "results" / f"{name}.json").read_text() == (
            local / "results" / f"{name}.json"
        ).read_text()
    # Resumable as locally: nothing is graded again, the same CSV.
    written = {p: p.stat().st_mtime_ns for p in (remote / "results").rglob("*.json")}
    assert main([*common, "--out", str(remote), "--executor", scheduler, "--resume"]) == 0
    assert {p: p.stat().st_mtime_ns for p in written} == written
    assert (remote / "grades.csv").read_text() == (local / "grades.csv").read_text()


@pytest.mark.slow  # the client gives up on the unreachable scheduler after 10 s
def test_executor_errors_are_usage_errors(tmp_path, capsys):
    folder = _class_folder(tmp_path)
    out = str(tmp_path / "out")
    assert main(["grade", "vector_add", str(folder), "--out", out, "--executor", "spark://x"]) == 2
    assert "expected dask://HOST:PORT" in capsys.readouterr().err
    unreachable = "dask://127.0.0.1:9"  # the discard port: nothing listens there
    assert main(["grade", "vector_add", str(folder), "--out", out, "--executor", unreachable]) == 2
    assert unreachable in capsys.readouterr().err
