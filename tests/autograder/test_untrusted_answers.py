"""What the grader sends the sandboxed child, and what it accepts back, whatever runs there.

The child gets the launch plan and the arguments, nothing else of the exercise; its answer is
accepted only in the form asked for. The forgeries are jobs of files/hostile_jobs.py put in
place of `_jobs.run_cases` (a layer-1 failure: arbitrary code answering for the kernel).
Invalid text in an answer reaches every report escaped, never as a crash.
"""

import pickle
import shutil

import pytest

from autograder import _jobs, batch, report
from autograder.grade import grade_submission
from autograder.result import SubmissionResult, TestResult
from autograder.sandbox import Outcome
from autograder.spec import load_exercise
from autograder.steps import submission as submission_step
from tests.autograder.files import hostile_jobs

SPEC = load_exercise("vector_add")
SOLUTION = SPEC.path / "solution.py"


def test_the_child_gets_the_plan_and_the_arguments_only(monkeypatch):
    sent = []

    def capture(job, *args, **options):
        sent.append((job, args))
        return Outcome("crashed", message="captured")

    monkeypatch.setattr(submission_step, "run_job", capture)
    grade_submission(SPEC, SOLUTION, seed=0x1234567890ABCDEF)
    ((job, (plan, cases)),) = sent
    assert job is _jobs.run_cases
    assert plan == {
        "kernels": [("vector_add", ["a", "b", "out"])],
        "outputs": ["out"],
        "device": "H100",
        "speed_case": plan["speed_case"],
        "host": None,
    }
    assert all(set(case) == {"arguments", "launch"} for case in cases)
    assert all(set(case["launch"]) == {"grid", "block"} for case in cases)
    assert all(set(case["arguments"]) == {"a", "b", "out"} for case in cases)
    data = pickle.dumps((plan, cases))
    assert str(SPEC.path).encode() not in data and b"exercise.toml" not in data
    assert (0x1234567890ABCDEF).to_bytes(8, "little") not in data


@pytest.mark.parametrize(
    "forgery",
    [
        hostile_jobs.forge_extra_field,
        hostile_jobs.forge_extra_output,
        hostile_jobs.forge_wrong_dtype,
        hostile_jobs.forge_wrong_shape,
        hostile_jobs.forge_missing_case,
        hostile_jobs.forge_nan_profile,
        hostile_jobs.forge_negative_profile,
        hostile_jobs.forge_unknown_pipe,
        hostile_jobs.forge_list_for_dict,
    ],
)
def test_an_answer_outside_the_asked_form_scores_zero(monkeypatch, forgery):
    monkeypatch.setattr(_jobs, "run_cases", forgery)
    result = grade_submission(SPEC, SOLUTION)
    assert (result.status, result.score) == ("graded", 0.0)
    assert "sent back something that is not a result" in result.tests[0].output


def test_a_file_that_is_not_a_notebook_or_a_script_is_rejected(tmp_path):
    text = tmp_path / "solution.txt"
    shutil.copy(SOLUTION, text)
    result = grade_submission(SPEC, text)
    assert (result.status, result.score) == ("rejected", 0.0)
    assert result.findings == [
        "solution.txt: only .ipynb notebooks and .py scripts are graded, not a .txt file"
    ]


def test_invalid_text_in_an_answer_reaches_every_report_escaped(monkeypatch, tmp_path):
    monkeypatch.setattr(_jobs, "run_cases", hostile_jobs.surrogate_errors)
    result = grade_submission(SPEC, SOLUTION)
    assert result.status == "graded"
    # The text comes back escaped (the exercise's advice for an error may follow it).
    assert result.tests[0].output.split("\nwhat to change: ")[0] == "Assert\\udcff: bad \\ud800\x00"
    report.text(result).encode("utf-8")
    raw = SubmissionResult(
        "vector_add", "bad\udc80name.py", "graded", 0.0, 10.0,
        [TestResult("correctness n=1", 0.0, 10.0, False, "lone \ud800 and \x00")],
        ["cell 1, line 1: \udfff"], None, [],
    )  # fmt: skip
    out = tmp_path / "out"
    for index, item in enumerate([result, raw]):
        report.write_json(item, out / "results" / f"{index}.json")
    results, names = batch.load_class(out)
    batch.write_reports(results, out, names)
    assert "\\ud800" in (out / "feedback" / "1.html").read_text(encoding="utf-8")
    assert "bad\\udc80name.py" in (out / "grades.csv").read_text(encoding="utf-8")
    assert (out / "gradescope" / "0" / "results.json").is_file()
