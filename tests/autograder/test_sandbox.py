"""Tests for autograder/sandbox.py, its child (_runner.py) and its channel (_channel.py).

Each test starts one child (about 0.2 s); the jobs live in files/jobs.py, importable by name.
"""

import re
from pathlib import Path

import numpy as np
import pytest

from autograder import _channel
from autograder.extract import extract
from autograder.sandbox import Limits, run_job
from tests.autograder.files import jobs

FILES = Path(__file__).parent / "files"


def test_plain_values_and_arrays_come_back():
    outcome = run_job(jobs.add_arrays, np.arange(3.0), np.ones(3))
    assert outcome.status == "ok", outcome
    value = outcome.value
    np.testing.assert_array_equal(value["sum"], [1.0, 2.0, 3.0])
    assert value["shape"] == (3,) and value["label"] == "ok"
    assert value["scalar"] == np.float32(1.5) and value["scalar"].dtype == np.float32
    # Back when the job ends, not at the 30 s wall-clock limit (with room for a busy machine).
    assert outcome.seconds < 10


def test_extracted_kernel_runs_in_the_child():
    submission = extract(FILES / "split_cells.ipynb", ["scale_add"], "simt")
    outcome = run_job(jobs.submission_names, submission=submission)
    assert outcome.value == ["SCALE", "TOTAL", "cuda", "scale_add", "scaled"]
    submission = extract(FILES / "vector_add.ipynb", ["vector_add"], "simt")
    a, b = np.arange(100.0), np.ones(100)
    outcome = run_job(jobs.launch_vector_add, a, b, submission=submission)
    np.testing.assert_array_equal(outcome.value, a + b)


def test_cann_track_submission_runs_in_the_child():
    submission = extract(FILES / "cann_add.py", ["add_custom"], "cann")
    x, y = np.arange(1000, dtype=np.float16), np.ones(1000, np.float16)
    outcome = run_job(jobs.launch_cann_add, x, y, submission=submission)
    assert outcome.status == "ok", outcome
    np.testing.assert_array_equal(outcome.value, x + y)


def test_runtime_error_keeps_the_learner_cell_and_line():
    submission = extract(FILES / "no_guard.ipynb", ["vector_add"], "simt")
    outcome = run_job(jobs.launch_vector_add, np.arange(100.0), np.ones(100), submission=submission)
    assert (outcome.status, outcome.kind) == ("error", "OutOfBoundsError")
    assert re.match(r"out-of-bounds access in kernel 'vector_add' at cell 2:5", outcome.message)
    assert outcome.details["line"] == 5 and outcome.details["thread"] == (4, 0, 0)


def test_endless_loop_hits_the_wall_clock_limit():
    outcome = run_job(jobs.spin, limits=Limits(wall_seconds=1.0))
    assert (outcome.status, outcome.kind) == ("timeout", "wall")
    assert outcome.seconds < 2


def test_endless_loop_hits_the_cpu_limit():
    outcome = run_job(jobs.spin, limits=Limits(cpu_seconds=0.5))
    assert (outcome.status, outcome.kind) == ("timeout", "cpu")


def test_memory_bomb_hits_the_memory_limit():
    outcome = run_job(jobs.allocate, 4, limits=Limits(memory_bytes=1 << 30))
    assert outcome.status == "memory"
    assert "Unable to allocate 4.00 GiB" in outcome.message


def test_exit_zero_is_a_crash_not_a_success():
    outcome = run_job(jobs.exit_quietly)
    assert (outcome.status, outcome.kind) == ("crashed", "exit 0")


def test_printed_fake_score_is_only_output():
    outcome = run_job(jobs.print_fake_score)
    assert (outcome.status, outcome.value) == ("ok", 0)
    assert outcome.stdout == "score: 100\n" and outcome.stderr == "score: 100\n"


def test_objects_are_not_results():
    outcome = run_job(jobs.return_object)
    assert outcome.status == "malformed"
    assert outcome.message.endswith("not builtins.object")


def test_child_gets_an_empty_directory_and_a_minimal_environment():
    value = run_job(jobs.environment).value
    assert value["files"] == [] and value["env"]["HOME"] == value["cwd"]
    assert set(value["env"]) <= {
        "PATH",
        "PYTHONPATH",
        "HOME",
        "LANG",
        "LC_CTYPE",
        "PWD",  # bubblewrap sets it on --chdir
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "CUDALIKE_LANG",  # the language of the runtime's messages, as the grader's
    }


def test_submission_gets_a_short_list_of_builtins():
    submission = extract(FILES / "vector_add.ipynb", ["vector_add"], "simt")
    names = run_job(jobs.builtin_names, submission=submission).value
    assert "range" in names and "open" not in names and "__import__" not in names


def _frame(header: str) -> bytes:
    return _channel.MAGIC + len(header).to_bytes(8, "big") + header.encode()


@pytest.mark.parametrize(
    "frame, reason",
    [
        (b"", "truncated"),
        (b"XXXX" + bytes(8), "bad header"),
        (_channel.encode({"status": "ok", "value": 1}) + b"!", "trailing bytes"),
        (_frame('{"tree": {"dict": [["value", {"x": 1}]]}, "arrays": []}'), "unknown kind"),
        (_frame('{"tree": {"object": 0}, "arrays": []}'), "unknown kind"),
        (
            _frame(
                '{"tree": {"array": 0}, "arrays": [{"dtype": "|O", "shape": [1], "nbytes": 8}]}'
            ),
            "numeric",
        ),
    ],
)
def test_channel_rejects_tampered_frames(frame, reason):
    with pytest.raises(_channel.MalformedResult, match=reason):
        _channel.decode(frame)


def test_channel_refuses_object_arrays():
    with pytest.raises(_channel.MalformedResult, match="numeric dtypes only"):
        _channel.encode({"value": np.array([None])})
