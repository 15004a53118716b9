"""`make test` spreads the test files over pytest-xdist workers: each file runs on one worker
(its module fixtures are built once), and the files that share machine-wide state share one
worker with each other: the hostile corpus and the hostile class (marker files and processes
looked for machine-wide). tests/conftest.py's `worker_scope` is what the scheduler groups by.
"""

from __future__ import annotations

from tests.conftest import worker_scope

CORPUS = "tests/autograder/integrity/test_corpus.py"
CLASS = "tests/autograder/integrity/test_hostile_class.py"
BROWSER = "tests/browser/test_lessons_in_jupyterlab.py"


def test_the_hostile_corpus_and_class_share_one_worker():
    corpus = worker_scope(f"{CORPUS}::test_attack_is_stopped[aliasing/a.py]")
    assert corpus == worker_scope(f"{CLASS}::test_interrupted_class_of_60_resumes")
    assert corpus == worker_scope(f"{CORPUS}::test_batch_grades_every_attack_once[cann_add]")


def test_a_file_runs_on_one_worker_and_two_files_may_not():
    lessons = [f"{BROWSER}::test_lesson_runs_in_jupyterlab[{n}.ipynb]" for n in ("a", "b")]
    assert worker_scope(lessons[0]) == worker_scope(lessons[1]) == BROWSER
    assert worker_scope("tests/test_tolerances.py::test_x") != worker_scope(lessons[0])
    assert worker_scope(f"{CORPUS}::test_x") != worker_scope("tests/test_wheel_install.py::t")
