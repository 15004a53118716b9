"""Tests for autograder/report.py: JSON, CSV, Gradescope results.json, HTML escaping."""

import csv
import json
import os
import stat

from autograder import report
from autograder.result import SubmissionResult, TestResult


def _result(**changes) -> SubmissionResult:
    fields = dict(
        exercise="vector_add",
        submission="alice.ipynb",
        status="graded",
        score=8.0,
        max_score=10.0,
        tests=[
            TestResult("correctness n=10", 8.0, 8.0, True, "out matches"),
            TestResult("correctness n=1", 0.0, 0.0, False, "<script>alert(1)</script>", "hidden"),
            TestResult("speed", 0.0, 2.0, False, "modelled time 3 us (1.9x)"),
        ],
        findings=["cell 2, line 1: note: <b>ignored</b>"],
        speed=1.9,
        hints=["guard with if i < out.size & more"],
        seed=1234,
        time_us=5.7,
        reference_time_us=3.0,
        worst_lines=[{"where": "cell 2, line 5", "source": "out[i] = a[i] < b[i]", "share": 0.8}],
    )
    return SubmissionResult(**{**fields, **changes})


def test_gradescope_results_have_the_documented_shape():
    data = report.gradescope(_result())
    assert data["score"] == 8.0 and data["visibility"] == "visible"
    assert [set(test) for test in data["tests"]] == [
        {"name", "score", "max_score", "status", "output", "visibility"}
    ] * 3
    assert [t["visibility"] for t in data["tests"]] == ["visible", "hidden", "visible"]
    assert data["tests"][2]["status"] == "failed"
    assert "1234" not in json.dumps(data)  # the seed is the instructor's only


def test_json_is_written_atomically_and_round_trips(tmp_path):
    path = tmp_path / "sub" / "alice.json"
    report.write_json(_result(), path)
    assert [p.name for p in path.parent.iterdir()] == ["alice.json"]  # no temporary left
    assert SubmissionResult.from_dict(json.loads(path.read_text())) == _result()


def test_csv_has_a_row_per_submission_and_a_column_per_test(tmp_path):
    rejected = _result(submission="bob.txt", status="rejected", score=0.0, speed=None, tests=[])
    report.write_csv([_result(), rejected], tmp_path / "grades.csv")
    rows = list(csv.DictReader((tmp_path / "grades.csv").open()))
    assert [row["submission"] for row in rows] == ["alice.ipynb", "bob.txt"]
    assert rows[0]["points: correctness n=10"] == "8" and rows[0]["speed"] == "1.9000"
    assert rows[1]["status"] == "rejected" and rows[1]["points: correctness n=10"] == ""


def test_html_escapes_everything_and_draws_the_speed_bar():
    page = report.html(_result())
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)" in page
    assert "&lt;b&gt;ignored" in page and "if i &lt; out.size &amp; more" in page
    assert "a[i] &lt; b[i]" in page
    assert 'style="width:52.6%' in page and 'style="width:100.0%' in page


def test_text_and_summary():
    assert "FAIL speed [0/2]" in report.text(_result())
    summary = report.summary([_result(), _result(status="rejected", score=0.0)])
    assert summary.startswith("2 submissions: 1 graded, 1 rejected, 0 error")


def test_written_files_follow_the_umask_not_tempfile_s_0600(tmp_path):
    result = _result()
    previous = os.umask(0o022)
    try:
        report.write_json(result, tmp_path / "result.json")
        report.write_csv([result], tmp_path / "grades.csv")
        report.write_atomic(tmp_path / "page.html", report.html(result))
        os.umask(0o027)
        report.write_atomic(tmp_path / "group.json", json.dumps(report.gradescope(result)))
    finally:
        os.umask(previous)
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in tmp_path.iterdir()}
    assert modes == {
        "result.json": 0o644,
        "grades.csv": 0o644,
        "page.html": 0o644,
        "group.json": 0o640,
    }


def test_points_are_rounded_for_people_and_exact_in_the_json(tmp_path):
    third = 8 / 6  # a correctness case worth 8 points over 6 sizes
    tests = [TestResult(f"correctness n={n}", third, third, True, "ok") for n in range(2)]
    result = _result(score=2 * third, tests=tests)
    text = report.text(result)
    assert "[1.3/1.3]" in text and "score: 2.7/10 (graded)" in text and "1.333" not in text
    assert "Score: 2.7 / 10" in report.html(result) and "1.3 / 1.3" in report.html(result)
    report.write_json(result, tmp_path / "r.json")
    assert json.loads((tmp_path / "r.json").read_text())["score"] == 2 * third


def test_rounding_never_shows_full_marks_or_nothing_that_was_not_earned():
    assert [report.points(v) for v in (10.0, 2.6667, 2.25, 0.0)] == ["10", "2.7", "2.2", "0"]
    assert report.points(9.96, 10) == "9.9" and report.points(10.0, 10) == "10"
    assert report.points(0.04, 10) == "0.04"
