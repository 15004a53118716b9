"""A reduced hostile class (60 vector_add submissions, 10% from the corpus): the command line
grades it with --jobs 2, is interrupted (SIGINT to its process group) once about half of the
results exist, resumes with --resume, and must end with one row per submission, no hostile
row above the honest wrong answer's score and every honest row scored as expected.

The full class of 1000 is `bench/hostile_class.py`; this runs the same code on 60.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.autograder.integrity._corpus import clean

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[3] / "bench" / "hostile_class.py"


def _bench():
    spec = importlib.util.spec_from_file_location("hostile_class", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_interrupted_class_of_60_resumes_to_one_honest_row_each(tmp_path):
    root = tmp_path / "cudalike-integrity-class"
    try:
        numbers = _bench().run(n=60, jobs=2, timeout=600.0, root=root)
    finally:
        clean()
    assert numbers["interrupted_at"] < 60 or numbers["first_exit"] is not None
    assert numbers["resume_exit"] == 0, numbers["resume_stderr"]
    assert numbers["rows"] == numbers["expected_rows"] == 60, numbers
    assert numbers["forged"] == [], numbers["forged"]
    assert numbers["errors"] == [], numbers["errors"]
    assert numbers["unexpected"] == [], numbers["unexpected"]
