"""A grading worker process, started and watched by `_pool`: `python -m autograder._worker`.

Run as `python -m autograder._worker RESULT_FD MEMORY_BYTES`. Trusted grader code; the
submission's kernels still run only in the sandboxed child that `grade_submission` starts.
Stages:
1. limit its own address space to MEMORY_BYTES (the sandbox's child sets a lower limit for
   itself), die with the parent that started it (PR_SET_PDEATHSIG) and leave Ctrl-C to it;
2. read one task per line from stdin, JSON: {"exercise", "path", "seed", "limits"};
3. grade it with `grade_submission`, extraction included, so that a submission that crashes,
   exhausts or hangs any stage takes down only this process, which the pool replaces;
4. write one JSON line to RESULT_FD: {"result": the result's dict} or {"failure": text} when
   the grader raised. It writes no file: the pool's parent checks and writes every result.
It ends when stdin ends.
"""

from __future__ import annotations

import ctypes
import dataclasses
import json
import os
import resource
import signal
import sys

from autograder.grade import grade_submission
from autograder.sandbox import Limits

_PR_SET_PDEATHSIG = 1


def main(result_fd: int, memory_bytes: int) -> None:
    """Grade tasks from stdin until it ends (the stages of the module docstring)."""
    ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    for line in sys.stdin:
        task = json.loads(line)
        _send(result_fd, _grade(task))


def _grade(task: dict) -> dict:
    limits = Limits(**task["limits"])
    try:
        result = grade_submission(task["exercise"], task["path"], seed=task["seed"], limits=limits)
    except Exception as error:  # a grader failure is a row, never a lost submission
        return {"failure": f"{type(error).__name__}: {error}"}
    return {"result": dataclasses.asdict(result)}


def _send(fd: int, message: dict) -> None:
    view = memoryview(json.dumps(message).encode("ascii") + b"\n")  # ASCII: any text survives
    while view:
        view = view[os.write(fd, view) :]


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
