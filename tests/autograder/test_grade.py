"""Tests for autograder/grade.py and its steps: full marks, zero, wrong, slow, broken, timeout."""

import shutil
from pathlib import Path

import pytest

from autograder import Limits, SubmissionResult, grade_submission
from autograder.spec import list_exercises, load_exercise

FILES = Path(__file__).parent / "files"
GRADE = FILES / "grade"


@pytest.mark.parametrize("exercise_id", list_exercises())
def test_solution_scores_full_marks_and_starter_zero(exercise_id):
    spec = load_exercise(exercise_id)
    solution = grade_submission(exercise_id, spec.path / "solution.py")
    assert solution.status == "graded" and solution.full_marks, solution.tests
    # Full marks put the solution in the top speed tier; it may beat the reference there.
    assert solution.speed <= spec.points.speed_tiers[0].max_ratio and solution.hints == []
    starter = grade_submission(exercise_id, spec.path / "starter.ipynb")
    assert (starter.status, starter.score) == ("graded", 0.0)
    assert starter.hints == list(spec.hints)


def test_tests_cover_every_size_with_its_visibility():
    result = grade_submission("vector_add", GRADE / "wrong_vector_add.py", seed=1)
    names = [(t.name, t.visibility) for t in result.tests if t.name.startswith("correctness")]
    assert names[:2] == [("correctness n=1000", "visible"), ("correctness n=4096", "visible")]
    assert [v for _, v in names[2:]] == ["hidden"] * 4
    assert sum(t.max_score for t in result.tests) == result.max_score == 10


def test_wrong_answer_scores_zero_and_shows_the_first_wrong_element():
    result = grade_submission("vector_add", GRADE / "wrong_vector_add.py", seed=1)
    assert result.score == 0 and result.status == "graded"
    assert "out[0]: expected" in result.tests[0].output
    assert "speed points need every correctness test" in result.tests[-1].output


def test_slow_but_correct_answer_loses_speed_points():
    result = grade_submission("vector_add", GRADE / "slow_vector_add.py", seed=1)
    assert result.speed > 1.1 and result.score == 9.0  # all of correctness, half of speed
    speed = result.tests[-1]
    assert (speed.name, speed.score, speed.passed) == ("speed", 1.0, False)
    assert result.time_us > result.reference_time_us
    assert result.worst_lines[0]["source"] == "x = x * 1.0"


def test_out_of_bounds_error_reads_as_in_the_notebook():
    result = grade_submission("vector_add", FILES / "no_guard.ipynb", seed=1)
    by_name = {t.name: t for t in result.tests}
    failed = by_name["correctness n=1000"]
    assert failed.score == 0
    assert failed.output.startswith("OutOfBoundsError: out-of-bounds access in kernel")
    assert "cell 2:5" in failed.output
    assert by_name["correctness n=4096"].passed  # 4096 is whole blocks: no stray thread
    assert 0 < result.score < result.max_score


def test_not_a_notebook_is_rejected_with_findings():
    result = grade_submission("vector_add", GRADE / "not_a_notebook.ipynb")
    assert (result.status, result.score) == ("rejected", 0.0)
    assert "is not a Jupyter notebook" in result.findings[0]
    assert all(not t.passed and t.score == 0 for t in result.tests)
    assert result.tests[-1].name == "speed"


def test_endless_loop_times_out_and_scores_zero():
    limits = Limits(wall_seconds=2.0)
    result = grade_submission("vector_add", GRADE / "endless_vector_add.py", limits=limits)
    assert (result.status, result.score) == ("graded", 0.0)
    assert result.tests[0].output.startswith("TimeoutError")


def test_broken_reference_is_a_grader_error(tmp_path):
    folder = tmp_path / "vector_add"
    shutil.copytree(load_exercise("vector_add").path, folder)
    (folder / "reference.py").write_text('"""No kernel here."""\n')
    result = grade_submission(str(folder), folder / "solution.py")
    assert result.status == "error" and "no kernel vector_add" in result.message
    assert result.tests == [] and result.hints == []


def test_seed_is_recorded_and_reproduces_the_grade():
    first = grade_submission("vector_add", FILES / "no_guard.ipynb", seed=42)
    again = grade_submission("vector_add", FILES / "no_guard.ipynb", seed=42)
    assert first.seed == 42 and first.to_dict() == again.to_dict()
    assert grade_submission("vector_add", FILES / "no_guard.ipynb").seed != 42


def test_result_round_trips_through_a_dict():
    result = grade_submission("vector_add", GRADE / "wrong_vector_add.py", seed=1)
    assert SubmissionResult.from_dict(result.to_dict()) == result


def test_ub_budget_rule_reads_the_ub_a_core_was_given(tmp_path):
    solution = load_exercise("cann_add").path / "solution.py"
    within = grade_submission("cann_add", solution, seed=3)
    rule = next(test for test in within.tests if test.name.startswith("rule: at most"))
    assert rule.passed and "InitBuffer gave a core" in rule.output
    exercise = tmp_path / "cann_add"
    shutil.copytree(load_exercise("cann_add").path, exercise)
    spec = exercise / "exercise.toml"
    spec.write_text(spec.read_text().replace("ub_budget_bytes = 196608", "ub_budget_bytes = 1024"))
    over = grade_submission(load_exercise(exercise), solution, seed=3)
    rule = next(test for test in over.tests if test.name.startswith("rule: at most"))
    assert not rule.passed and "broken" in rule.output
    assert over.score < within.score  # a broken rule forfeits the speed points


def test_a_host_launch_whose_reference_defines_kernels_grades_a_submission():
    # The reference's own kernels are defined again in the sandboxed child, from its text.
    result = grade_submission(str(FILES / "host_launch"), FILES / "host_launch_submission.py")
    assert result.full_marks, [test.output for test in result.tests]
