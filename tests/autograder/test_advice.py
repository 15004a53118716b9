"""The `[feedback]` table: each symptom's advice shows once, under the first test showing it."""

import re
import shutil
from pathlib import Path

import pytest

from autograder import Limits, grade_submission
from autograder.spec import SpecError, load_exercise
from autograder.steps.advice import error_symptom

GRADE = Path(__file__).parent / "files" / "grade"

FEEDBACK = """
[feedback]
out_of_bounds = "ADVICE-BOUNDS"
race = "ADVICE-RACE"
unwritten = "ADVICE-UNWRITTEN"
wrong_values = "ADVICE-WRONG"
no_atomics = "ADVICE-ATOMICS"
slow = "ADVICE-SLOW"
runaway = "ADVICE-LOOP"
"""


@pytest.fixture
def exercise(tmp_path):
    """vector_add with a [feedback] table of recognisable advice (no_atomics already set)."""
    folder = tmp_path / "vector_add"
    shutil.copytree(load_exercise("vector_add").path, folder)
    toml = folder / "exercise.toml"
    # The exercise's own [feedback] table (up to the next table) gives way to this one.
    text = re.sub(r"^\[feedback\]\n(?:(?!\[).*\n)*", "", toml.read_text(), flags=re.M)
    toml.write_text(text + FEEDBACK)
    return load_exercise(folder)


def report(exercise, tmp_path, source: str) -> str:
    path = tmp_path / "attempt.py"
    path.write_text("from numba import cuda\n\n\n@cuda.jit\ndef vector_add(a, b, out):\n" + source)
    result = grade_submission(exercise, path, seed=1)
    assert not result.full_marks
    return "\n".join(test.output for test in result.tests)


def test_out_of_bounds_advice_shows_once_under_the_first_failing_size(exercise, tmp_path):
    text = report(exercise, tmp_path, "    i = cuda.grid(1)\n    out[i] = a[i] + b[i]\n")
    assert text.count("what to change: ADVICE-BOUNDS") == 1
    assert text.index("OutOfBoundsError") < text.index("ADVICE-BOUNDS")


def test_unwritten_and_wrong_values_are_told_apart(exercise, tmp_path):
    short = "    i = cuda.grid(1)\n    if i < out.size - 1:\n        out[i] = a[i] + b[i]\n"
    assert "what to change: ADVICE-UNWRITTEN" in report(exercise, tmp_path, short)
    wrong = "    i = cuda.grid(1)\n    if i < out.size:\n        out[i] = a[i] - b[i]\n"
    text = report(exercise, tmp_path, wrong)
    assert "ADVICE-WRONG" in text and "ADVICE-UNWRITTEN" not in text


def test_a_race_takes_the_general_race_advice(exercise, tmp_path):
    text = report(exercise, tmp_path, "    i = cuda.threadIdx.x\n    out[i] = a[i] + b[i]\n")
    assert "what to change: ADVICE-RACE" in text


def test_a_broken_rule_and_a_slow_kernel_get_their_advice(exercise, tmp_path):
    atomic = "    i = cuda.grid(1)\n    if i < out.size:\n        out[i] = 0.0\n"
    atomic += "        cuda.atomic.add(out, i, a[i] + b[i])\n"
    assert "what to change: ADVICE-ATOMICS" in report(exercise, tmp_path, atomic)
    slow = grade_submission(exercise, GRADE / "slow_vector_add.py", seed=1)
    assert "what to change: ADVICE-SLOW" in slow.tests[-1].output
    # The speed line names what the model says limited each kernel.
    assert "\nlimited by latency: too few warps in flight" in slow.tests[-1].output
    assert "the reference is limited by launch overhead: " in slow.tests[-1].output


def test_a_child_out_of_time_takes_the_runaway_advice(exercise):
    endless = GRADE / "endless_vector_add.py"
    result = grade_submission(exercise, endless, seed=1, limits=Limits(wall_seconds=2.0))
    assert result.tests[0].output.startswith("TimeoutError: ")
    assert "what to change: ADVICE-LOOP" in result.tests[0].output


def test_no_advice_without_a_feedback_table(exercise, tmp_path):
    toml = exercise.path / "exercise.toml"
    toml.write_text(toml.read_text().split("\n[feedback]")[0] + "\n")
    result = grade_submission(load_exercise(exercise.path), GRADE / "wrong_vector_add.py", seed=1)
    assert not result.full_marks
    assert not any("what to change" in test.output for test in result.tests)


def test_an_unknown_symptom_is_a_clear_spec_error(exercise):
    toml = exercise.path / "exercise.toml"
    toml.write_text(toml.read_text() + 'typo_symptom = "x"\n')
    with pytest.raises(
        SpecError, match="typo_symptom.*is not a symptom; use one of: out_of_bounds"
    ):
        load_exercise(exercise.path)


def test_error_symptoms():
    assert error_symptom("RaceError", "reads shared array 'tile'[3] ...") == "race_shared"
    assert error_symptom("RaceError", "writes global array 'out'[0] ...") == "race_global"
    assert error_symptom("BarrierDivergenceError", "") == "barrier"
    assert error_symptom("ZeroDivisionError", "") == "error"


def test_a_cann_speed_line_reports_each_pipe_busy_share_against_the_reference():
    solution = load_exercise("cann_add").path / "solution.py"
    speed = grade_submission("cann_add", solution, seed=1).tests[-1].output
    found = re.search(
        r"pipes busy \(share of the modelled time\): (.*); the reference: (.*)", speed
    )
    assert found, speed
    mine = dict(re.findall(r"(\w+) (\d+)%", found.group(1)))
    assert {"MTE2", "Vector", "MTE3"} <= set(mine)
    assert all(0 <= int(share) <= 100 for share in mine.values())
    assert int(mine["MTE2"]) > int(mine["MTE3"])  # two inputs come in for one output going out
