"""Integrity suite: hostile submissions score no more than an honest wrong one.

Each file in `submissions/` is one attempt to win without solving the exercise; its docstring
(or first markdown cell) says what it tries. Every attempt is graded by the real pipeline,
`grade_submission`, and must:
- score no more than the honest wrong answer of the same exercise (the baseline: a kernel that
  writes zeros for vector_add, the untouched starter notebook for map_2d and cann_add);
- say why in words a learner can read (a finding or a failed test's output, checked by phrase);
- leave nothing behind: no new file in the repository, the working directory or HOME.
The batch test grades them all in one process, one after another, with a correct submission
last, which must still get full marks.

An attack that succeeds is marked `xfail(strict=True)` with the reason in KNOWN_HOLES (empty
now); FIXED_HOLES records the ones this suite found and the fix that closed each.
docs/autograder-integrity.md has the table of attempts and the stage that stops each.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.grade import Limits, grade_submission

pytestmark = pytest.mark.slow

SUBMISSIONS = Path(__file__).parent / "submissions"
REPOSITORY = Path(__file__).resolve().parents[3]
EXERCISES = REPOSITORY / "exercises"

# Small limits for the attempts that try to exhaust time or memory: each must stop in seconds.
FAST = Limits(cpu_seconds=2.0, wall_seconds=6.0, memory_bytes=1 << 30)

# file -> (exercise, a phrase the learner reads in the findings or the failed tests' output).
ATTACKS = {
    "always_equal_kernel.py": ("vector_add", "is not a constant"),
    "always_equal_return.py": ("vector_add", "uses 'AlwaysEqual', a class"),
    "builtins_tricks.py": ("vector_add", "uses '__builtins__'"),
    "cann_calls_library_kernel.py": ("cann_add", "not part of the cann API"),
    "cann_numpy_raw_buffers.py": ("cann_add", "the accessor .data"),
    "cann_numpy_with_decoy_pipeline.py": ("cann_add", "the accessor .data"),
    "cann_os_escape.py": ("cann_add", "numpy's .f2py"),
    "cann_state_between_runs.py": ("cann_add", "numpy's .allclose"),
    "decorator_argument_escape.py": ("vector_add", "is decorated with"),
    "dynamic_getattr.py": ("vector_add", "uses the built-in 'getattr'"),
    "endless_loop_kernel.py": ("vector_add", "time limit"),
    "endless_loop_module_level.py": ("vector_add", "elements are wrong"),
    "fake_cuda_object.py": ("vector_add", "is decorated with @cuda.jit"),
    "fake_result_lines.py": ("vector_add", "elements are wrong"),
    "fake_saved_outputs.ipynb": ("vector_add", "elements are wrong"),
    "grading_mode_detection.py": ("vector_add", "uses 'GRADING', which is not a constant"),
    "hardcoded_public_output.py": ("vector_add", "elements are wrong"),
    "host_numpy_module_level.py": ("vector_add", "elements are wrong"),
    "huge_exception.py": ("vector_add", "message cut at"),
    "introspection.py": ("vector_add", "which the grader does not provide"),
    "magics_import_reference.ipynb": ("vector_add", "which the grader does not provide"),
    "map_2d_mutate_inputs.py": ("map_2d", "expected"),
    "memory_bomb_local_array.py": ("vector_add", "memory"),
    "memory_bomb_module_level.py": ("vector_add", "elements are wrong"),
    "monkeypatch_in_kernel.py": ("vector_add", "'np' used as a value is not allowed"),
    "monkeypatch_runtime.py": ("vector_add", "elements are wrong"),
    "mutate_inputs.py": ("vector_add", "elements are wrong"),
    "nan_output.py": ("vector_add", "got nan"),
    "os_exit_in_kernel.py": ("vector_add", "uses 'os', which comes from 'import os'"),
    "os_exit_module_level.py": ("vector_add", "elements are wrong"),
    "os_in_kernel.py": ("vector_add", "uses 'os', which comes from 'import os'"),
    "os_module_level.py": ("vector_add", "elements are wrong"),
    "oversized_shared_array.py": ("vector_add", "bytes of static shared memory"),
    "plain_python_kernel.py": ("vector_add", "is a function without @cuda.jit"),
    "read_reference_file.py": ("vector_add", "uses the built-in 'open'"),
    "state_between_runs.py": ("vector_add", "uses 'CACHE', which is not a constant"),
    "thread_left_running.py": ("vector_add", "uses 'threading', which comes from"),
    "write_file_descriptors.py": ("vector_add", "uses 'os', which comes from 'import os'"),
}

# Attacks that beat the grader today (see docs/autograder-integrity.md, "Open holes").
# Attacks that once succeeded, and the fix that closed each (see docs/autograder-integrity.md).
FIXED_HOLES = {
    "decorator_argument_escape.py": "decorator arguments may only be literals and numba types",
    "cann_numpy_with_decoy_pipeline.py": "kernels may not read .data (raw GM) or use numpy",
    "cann_os_escape.py": "numpy's submodules (np.f2py.os) are not reachable from kernels",
    "cann_calls_library_kernel.py": "only cann's public API may be used, not its kernels",
}
KNOWN_HOLES: dict[str, str] = {}
# Files the known holes write into the repository root (removed after each test).
ESCAPE_FILES = ("integrity-cann-escape.txt", "integrity-decorator-escape.txt")

# One seed for attacks and baselines: a wrong kernel can match the reference by chance at a
# one-element size, and scores are compared between gradings of the same inputs.
SEED = 20261202

_LIMITED = {"endless_loop_kernel.py", "memory_bomb_local_array.py", "memory_bomb_module_level.py"}
# Attacks that print tens of MB per run: reading it all takes under 10 s on an idle machine and
# more than the default 30 s wall clock on a busy one (the tests run in parallel), and what is
# checked is the cut message, not the time.
_FLOODS = {"huge_exception.py"}
FLOOD = Limits(wall_seconds=120.0)


def _limits(name: str) -> Limits | None:
    if name in _FLOODS:
        return FLOOD
    return FAST if name in _LIMITED or "loop" in name else None


def _baseline_path(exercise: str) -> Path:
    if exercise == "vector_add":
        return SUBMISSIONS / "honest_zeros.py"
    return EXERCISES / exercise / "starter.ipynb"


_BASELINES: dict[str, float] = {}


def _baseline(exercise: str) -> float:
    """What an honest wrong answer scores on `exercise`, graded the same way (once)."""
    if exercise not in _BASELINES:
        result = grade_submission(exercise, _baseline_path(exercise), seed=SEED)
        assert result.status == "graded", result
        _BASELINES[exercise] = result.score
    return _BASELINES[exercise]


def _explanation(result) -> str:
    failed = [test.output for test in result.tests if not test.passed]
    return "\n".join([*result.findings, *failed])


def _new_files(before: set[str]) -> set[str]:
    return _repository_files() - before


def _repository_files() -> set[str]:
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # Other work may be going on in the checkout while the suite runs, so only the places a
    # submission would aim at are watched: new files at the top level, and exercises/.
    paths = {line[3:] for line in status.splitlines()}
    return {p for p in paths if "/" not in p or p.startswith("exercises/")}


@pytest.fixture
def sealed(tmp_path, monkeypatch):
    """A fresh HOME and working directory; yields a check that nothing new appeared anywhere."""
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(work)
    before = _repository_files()

    def leaked() -> list[str]:
        found = sorted(_new_files(before))
        found += [f"HOME/{p.name}" for p in home.iterdir()]
        found += [f"cwd/{p.name}" for p in work.iterdir()]
        return found

    yield leaked
    for name in ESCAPE_FILES:  # the known holes' droppings, so later tests start clean
        (REPOSITORY / name).unlink(missing_ok=True)


def _params() -> list:
    return [
        pytest.param(
            name,
            id=name.rsplit(".", 1)[0],
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_HOLES[name])]
            if name in KNOWN_HOLES
            else [],
        )
        for name in sorted(ATTACKS)
    ]


def test_every_submission_file_is_an_attack_in_the_table():
    files = {p.name for p in SUBMISSIONS.iterdir() if p.suffix in (".py", ".ipynb")}
    assert files - {"honest_zeros.py", "honest_correct.py"} == set(ATTACKS)


def test_every_attack_says_what_it_tries():
    for name in ATTACKS:
        text = (SUBMISSIONS / name).read_text()
        assert '"""Attack' in text or "Attack:" in text, name


def test_the_baseline_is_an_honest_wrong_answer_and_the_correct_one_scores_full():
    assert _baseline("vector_add") == 0
    correct = grade_submission("vector_add", SUBMISSIONS / "honest_correct.py")
    assert (correct.status, correct.score) == ("graded", correct.max_score)


@pytest.mark.parametrize("name", _params())
def test_attack_scores_no_more_than_an_honest_wrong_answer(name, sealed):
    exercise, phrase = ATTACKS[name]
    result = grade_submission(exercise, SUBMISSIONS / name, seed=SEED, limits=_limits(name))
    assert result.status in ("graded", "rejected"), result  # never a grader error
    assert result.score <= _baseline(exercise), (result.score, _explanation(result))
    assert phrase in _explanation(result), _explanation(result)
    assert sealed() == [], "the submission wrote files outside its sandbox"


def test_rejected_attacks_name_the_line_and_never_run():
    result = grade_submission("vector_add", SUBMISSIONS / "os_in_kernel.py")
    assert result.status == "rejected" and result.score == 0
    assert any(finding.startswith("line 13: 'vector_add' uses 'os'") for finding in result.findings)
    assert all(not test.passed for test in result.tests)


def test_endless_loop_is_stopped_by_the_cpu_limit_quickly():
    result = grade_submission(
        "vector_add", SUBMISSIONS / "endless_loop_kernel.py", limits=Limits(cpu_seconds=1.0)
    )
    assert result.score == 0
    assert "CPU time limit" in _explanation(result)


def test_fake_result_lines_printed_by_a_kernel_are_only_output():
    # Text a kernel prints is captured output, never parsed as a result.
    result = grade_submission("vector_add", SUBMISSIONS / "fake_saved_outputs.ipynb")
    assert result.score == 0 and "score: 10 / 10" not in _explanation(result)


def test_batch_in_one_process_leaks_nothing_and_the_correct_one_still_scores_full(sealed):
    names = [*sorted(ATTACKS), "honest_correct.py"]
    results = {}
    for name in names:
        exercise = ATTACKS.get(name, ("vector_add", ""))[0]
        results[name] = grade_submission(
            exercise, SUBMISSIONS / name, seed=SEED, limits=_limits(name)
        )
    correct = results.pop("honest_correct.py")
    assert (correct.status, correct.score) == ("graded", correct.max_score), correct
    assert all(test.passed for test in correct.tests if test.max_score > 0)
    for name, result in results.items():
        if name not in KNOWN_HOLES:
            assert result.score <= _baseline(ATTACKS[name][0]), name
    leaked = [path for path in sealed() if Path(path).name not in ESCAPE_FILES]
    assert leaked == []


def test_batch_through_the_command_line_with_two_jobs(tmp_path, sealed):
    if not (REPOSITORY / "autograder" / "__main__.py").exists():
        pytest.skip("the command line (python -m autograder) does not exist yet")
    folder, out = tmp_path / "class", tmp_path / "out"
    folder.mkdir()
    names = [n for n, (ex, _) in ATTACKS.items() if ex == "vector_add" and n not in KNOWN_HOLES]
    for name in [*names, "honest_correct.py"]:
        shutil.copy(SUBMISSIONS / name, folder / name)
    command = [sys.executable, "-m", "autograder", "grade", "vector_add", str(folder)]
    completed = subprocess.run(
        [*command, "--out", str(out), "--jobs", "2"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    with open(out / "grades.csv", newline="") as file:
        rows = {Path(row["submission"]).name: row for row in csv.DictReader(file)}
    assert set(rows) == {*names, "honest_correct.py"}  # a row for every submission
    correct = rows.pop("honest_correct.py")
    assert float(correct["score"]) == float(correct["max_score"]) > 0
    baseline = _baseline("vector_add")
    assert {
        name: float(row["score"]) for name, row in rows.items() if float(row["score"]) > baseline
    } == {}
    assert sealed() == []
