"""Layer 2: the sandbox holds as if extraction had failed and arbitrary Python ran in the child.

Each test runs a job of files/hostile_jobs.py (hostile code, run in the child right after
`load`, as a layer-1 failure would) in both modes: under bubblewrap (skipped with a reason
where it does not work, except under CI, where `make test` installs it) and in the fallback.
It checks what the attempt met and the world outside: no process outlives the job, nothing
is written, the grader and its neighbours live on.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from autograder import _channel, _confine, _isolation
from autograder.sandbox import Limits, run_job
from tests.autograder.files import hostile_jobs

REPOSITORY = Path(__file__).resolve().parents[2]
EXERCISE_TOML = REPOSITORY / "exercises" / "vector_add" / "exercise.toml"


@pytest.fixture(params=["bwrap", "fallback"])
def limits(request) -> Limits:
    """Limits forcing each sandbox mode in turn."""
    if request.param == "bwrap" and not _isolation.bwrap_works() and not os.environ.get("CI"):
        pytest.skip("bubblewrap is missing or does not work here (apt-get install bubblewrap)")
    return Limits(sandbox=request.param, wall_seconds=20.0)


def _denied(result: str) -> bool:
    return result.startswith(("PermissionError", "FileNotFoundError", "OSError", "Read-only"))


def test_a_detached_grandchild_is_impossible_and_writes_nothing_later(limits, tmp_path):
    late = tmp_path / "late.txt"
    outcome = run_job(hostile_jobs.double_fork_writer, str(late), limits=limits)
    assert outcome.status == "ok", outcome
    assert outcome.value["fork"].startswith("PermissionError"), outcome.value
    time.sleep(2)
    assert not late.exists()


def test_the_supervisor_kills_what_the_job_left_even_without_seccomp(tmp_path):
    """The subreaper alone: a double fork and setsid, then the job ends; the grandchild dies."""
    late = tmp_path / "late.txt"
    script = f"""
import os, sys, time
from autograder import _confine
_confine.supervise(os.open(os.devnull, os.O_WRONLY))
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(1.5)
        open({str(late)!r}, "w").write("escaped")
    os._exit(0)
os.wait()
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=REPOSITORY, timeout=30, check=False)
    assert done.returncode == 0
    time.sleep(2.5)
    assert not late.exists()


def test_threads_run_but_processes_do_not_start(limits):
    outcome = run_job(hostile_jobs.thread_and_fork, limits=limits)
    assert outcome.status == "ok", outcome
    value = outcome.value
    assert value["fork"].startswith("PermissionError"), value
    if value["thread"] != "done":  # RLIMIT_NPROC = 0 (a uid other than root): no thread
        assert "can't start new thread" in value["thread"]
        assert limits.sandbox == "fallback" or os.geteuid() != 0
    else:
        assert value["ran"]


def test_the_child_cannot_kill_the_grader_its_parent_or_a_neighbour(limits):
    neighbour = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        outcome = run_job(hostile_jobs.kill, [os.getpid(), neighbour.pid], limits=limits)
        assert outcome.status == "ok", outcome
        assert all(result != "done" for result in outcome.value.values()), outcome.value
        assert neighbour.poll() is None
    finally:
        neighbour.kill()
        neighbour.wait()


def test_the_child_cannot_write_to_the_repository_tmp_home_or_its_directory(limits, tmp_path):
    marker = f"cudalike-pwned-{uuid.uuid4().hex}"
    paths = [
        REPOSITORY / marker,
        REPOSITORY / "exercises" / marker,
        Path("/tmp") / marker,
        tmp_path / marker,
        Path.home() / marker,
    ]
    outcome = run_job(hostile_jobs.write_files, [*map(str, paths), marker], limits=limits)
    assert outcome.status == "ok", outcome
    for path, results in outcome.value.items():
        assert all(_denied(result) for result in results), (path, results)
    for path in paths:
        assert not any(Path(f"{path}{end}").exists() for end in ("", ".d", ".link"))


def test_the_child_has_no_network_and_runs_no_program(limits):
    outcome = run_job(hostile_jobs.network, limits=limits)
    assert outcome.status == "ok", outcome
    value = outcome.value
    assert value["inet"].startswith("PermissionError") and value["connect"] != "done"
    assert value["unix"].startswith("PermissionError")
    outcome = run_job(hostile_jobs.execute, limits=limits)
    assert outcome.status == "ok", outcome
    assert all(result.startswith("PermissionError") for result in outcome.value.values())


def test_bubblewrap_hides_the_exercises():
    if not _isolation.bwrap_works() and not os.environ.get("CI"):
        pytest.skip("bubblewrap is missing or does not work here (apt-get install bubblewrap)")
    outcome = run_job(hostile_jobs.read_file, str(EXERCISE_TOML), limits=Limits(sandbox="bwrap"))
    assert outcome.value.startswith("FileNotFoundError"), outcome.value[:200]


def test_a_forged_frame_before_the_real_one_is_malformed(limits):
    forged = _channel.encode({"status": "ok", "value": 10})
    outcome = run_job(hostile_jobs.forge_then_return, forged, limits=limits)
    assert (outcome.status, outcome.message) == (
        "malformed",
        "the result message has trailing bytes",
    )


def test_an_output_flood_is_read_and_truncated_with_a_note():
    outcome = run_job(hostile_jobs.flood, 20, limits=Limits(output_chars=1000))
    assert (outcome.status, outcome.value) == ("ok", 42)
    text, note = outcome.stdout[:1000], outcome.stdout[1000:]
    assert set(text) == {"x", "\n"}
    assert note == f"\n[... output truncated: {20_000_000 - 1000} more characters]"


def test_invalid_text_from_the_child_arrives_escaped():
    outcome = run_job(hostile_jobs.surrogate_message)
    assert (outcome.status, outcome.kind) == ("error", "AssertionError")
    assert outcome.message == "bad \\ud800 text\x00 here"
    outcome.message.encode("utf-8")


def test_the_mode_is_read_from_the_environment_once_in_one_place(monkeypatch):
    monkeypatch.setenv(_isolation.ENVIRONMENT_VARIABLE, "fallback")
    assert _isolation.choose("auto") == "fallback"
    assert _isolation.requested_mode("bwrap") == "bwrap"  # an explicit setting wins
    monkeypatch.setenv(_isolation.ENVIRONMENT_VARIABLE, "chroot")
    with pytest.raises(ValueError, match="must be one of auto, bwrap, fallback"):
        _isolation.choose("auto")


def test_descendants_are_found_through_proc():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert child.pid in _confine.descendants(os.getpid())
    finally:
        child.kill()
        child.wait()
