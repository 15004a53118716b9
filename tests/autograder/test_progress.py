"""Tests for autograder/progress_store.py: the local progress store and the `progress` table."""

import datetime
import json
import sys

import pytest

import autograder
from autograder.cli import main
from autograder.progress_store import ENV_VAR, data_dir, load, progress, record, store_path
from autograder.result import SubmissionResult, TestResult
from autograder.spec import list_exercises

WHEN = datetime.datetime(2025, 3, 1, 12, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture(autouse=True)
def data(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "data"))
    return tmp_path / "data"


def result(score, speed, correct=True, status="graded", exercise="vector_add"):
    tests = [TestResult("correctness n=1000", 8.0 * correct, 8.0, correct, "")]
    return SubmissionResult(exercise, "x.py", status, score, 10.0, tests, [], speed, [])


def test_record_keeps_the_best_and_counts_attempts(data):
    record(result(4.0, 1.5), now=WHEN)
    record(result(10.0, 1.2), now=WHEN)
    entry = record(result(9.0, 1.1), now=WHEN + datetime.timedelta(hours=1))
    assert entry == {
        "best_score": 10.0,
        "max_score": 10.0,
        "best_speed": 1.1,
        "attempts": 3,
        "last_attempt": "2025-03-01T13:00:00+00:00",
    }
    assert load() == {"vector_add": entry}
    assert store_path() == data / "progress.json"


def test_speed_counts_only_from_correct_attempts_and_errors_are_not_attempts():
    record(result(0.0, 0.2, correct=False), now=WHEN)
    assert load()["vector_add"]["best_speed"] is None
    record(result(0.0, None, status="error"), now=WHEN)
    assert load()["vector_add"]["attempts"] == 1


def test_write_is_atomic(data, monkeypatch):
    record(result(4.0, 1.5), now=WHEN)
    before = store_path().read_text()

    def fail(*_):
        raise OSError("disk full")

    monkeypatch.setattr("autograder.report.os.replace", fail)
    with pytest.raises(OSError):
        record(result(10.0, 1.0), now=WHEN)
    assert store_path().read_text() == before
    assert [p.name for p in data.iterdir()] == ["progress.json"]  # no temporary file left


def test_unreadable_store_reads_as_empty(data):
    data.mkdir()
    store_path().write_text("{ not json")
    assert load() == {}
    record(result(4.0, 1.5), now=WHEN)
    assert json.loads(store_path().read_text())["exercises"]["vector_add"]["attempts"] == 1


def test_data_dir_defaults(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "xdg" / "cudalike"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert data_dir() == tmp_path / "home" / ".local" / "share" / "cudalike"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "roaming"))
    assert data_dir() == tmp_path / "roaming" / "cudalike"


def test_progress_lists_every_exercise():
    record(result(10.0, 1.0), now=WHEN)
    record(result(3.0, None, exercise="map_2d"), now=WHEN)
    table = progress()
    assert autograder.progress is progress
    states = {row.exercise: row.state for row in table.rows}
    assert [row.exercise for row in table.rows] == list_exercises()
    assert states["map_2d"] == "attempted" and states["vector_add"] == "done"
    assert {state for name, state in states.items() if name not in ("map_2d", "vector_add")} == {
        "not attempted"
    }
    text = str(table).splitlines()
    assert text[0].split()[:3] == ["exercise", "state", "best"]
    rows = {line.split()[0]: line.split() for line in text[1:]}
    assert rows["cann_add"] == ["cann_add", "not", "attempted", "0"]
    assert rows["vector_add"] == ["vector_add", "done", "10/10", "1.00x", "1", WHEN.isoformat()]
    assert "<td>not attempted</td>" in table._repr_html_()


def test_cli_progress_prints_the_table(capsys):
    record(result(10.0, 1.25), now=WHEN)
    assert main(["progress"]) == 0
    out = capsys.readouterr().out
    assert out == str(progress()) + "\n"
    assert "1.25x" in out and "not attempted" in out
