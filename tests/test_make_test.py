"""`make test` runs the tests and the lessons both, fails if either failed, and gives the
lessons a temporary home. The two pytest runs are replaced by a stand-in for `$(PY)` that
records how it was called; the install and Chromium steps are skipped with `make -o`."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")

FAKE_PYTHON = """#!/bin/sh
echo "$* | HOME=$HOME | CUDALIKE_DATA_DIR=$CUDALIKE_DATA_DIR" >> "$FAKE_LOG"
case "$*" in *courses*) exit "$LESSONS_RC";; *) exit "$TESTS_RC";; esac
"""


def make_test(
    tmp_path: Path, tests_rc: int, lessons_rc: int, *options: str
) -> tuple[int, list[str]]:
    """Run the `test` target with the stand-in; return make's status and the calls made."""
    tmp_path.mkdir(exist_ok=True)
    fake = tmp_path / "python"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    log = tmp_path / "calls.log"
    env = os.environ | {
        "FAKE_LOG": str(log),
        "TESTS_RC": str(tests_rc),
        "LESSONS_RC": str(lessons_rc),
    }
    command = ["make", "-s", "-o", ".venv/.cudalike-installed", "-o", "chromium", "test"]
    done = subprocess.run(
        [*command, f"PY={fake}", *options], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return done.returncode, log.read_text().splitlines()


@pytest.mark.parametrize(("tests_rc", "lessons_rc"), [(0, 0), (1, 0), (0, 1), (1, 1)])
def test_both_runs_happen_and_either_failure_fails(tmp_path, tests_rc, lessons_rc):
    status, calls = make_test(tmp_path, tests_rc, lessons_rc)
    assert len(calls) == 2, calls
    assert calls[0].startswith("-m pytest ") and "--nbval-lax" not in calls[0]
    assert "--nbval-lax" in calls[1]
    assert (status != 0) == bool(tests_rc or lessons_rc)


def test_the_lessons_run_in_a_temporary_home(tmp_path):
    _, calls = make_test(tmp_path, 0, 0)
    home = calls[1].split("| HOME=")[1].split(" |")[0]
    assert home != os.environ["HOME"] and not Path(home).exists()  # removed afterwards
    assert f"CUDALIKE_DATA_DIR={home}/" in calls[1]


def test_both_runs_use_a_worker_per_cpu_and_workers_picks_the_count(tmp_path):
    _, calls = make_test(tmp_path, 0, 0)
    assert "-n logical --dist loadfile" in calls[0]  # a module's fixtures are built once
    assert "-n logical --dist loadfile" in calls[1]  # a notebook's cells share one kernel
    _, calls = make_test(tmp_path / "one", 0, 0, "WORKERS=0")
    assert all("-n 0 " in call for call in calls), calls
