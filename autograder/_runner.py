"""The trusted side of the child process that `autograder.sandbox` starts.

Run as `python -m autograder._runner SPEC_FD RESULT_FD`. Stages, in order:
1. read the job, its arguments, the extracted submission, the limits and the uid to switch
   to from SPEC_FD (written by the grader; nothing of the submission has run yet), close it;
2. confine this process (`_confine`, layer 2): fork under a trusted supervisor that kills
   every process left behind, then in the job's process the resource limits, the uid switch,
   no_new_privs and the seccomp filter. From here on the process can write no file, start no
   process, open no socket and signal no other process, whatever runs in it;
3. `load` the extracted module: the grader's imports, then each piece compiled under its cell's
   name and line numbers (so runtime errors say 'cell 3:4'), with a short list of built-ins;
4. call `job(submission, *args)` and write one message to RESULT_FD: the value, the error
   raised (class name, message, coordinates) or memory exhausted.
The submission's output goes to stdout and stderr, which the grader only captures.
"""

from __future__ import annotations

import os
import pickle
import sys

from autograder import _channel, _confine
from autograder._loader import load

# Coordinates the runtime's errors carry (cudalike.errors), passed on when they are plain.
_ERROR_FIELDS = ("kernel", "filename", "line", "source", "block", "thread", "warp", "hint")


def main(spec_fd: int, result_fd: int) -> None:
    """Run one job (stages 1-4 of the module docstring) and exit."""
    with os.fdopen(spec_fd, "rb") as spec:
        job, args, extracted, limits, drop_to = pickle.load(spec)
    _confine.supervise(result_fd)
    try:
        _confine.confine(limits, drop_to)
    except _confine.ConfinementError as error:
        _channel.send(result_fd, {"status": "sandbox", "message": str(error)})
        return
    try:
        submission = load(extracted) if extracted is not None else None
        message = {"status": "ok", "value": job(submission, *args)}
    except MemoryError as error:
        message = {"status": "memory", "message": f"memory exhausted: {error}"}
    except BaseException as error:  # noqa: B036 - every failure becomes a verdict
        message = _error_message(error)
    try:
        _channel.send(result_fd, message)
    except _channel.MalformedResult as error:
        _channel.send(result_fd, {"status": "malformed", "message": str(error)})
    sys.stdout.flush()
    sys.stderr.flush()


def _error_message(error: BaseException) -> dict:
    details = {
        field: getattr(error, field)
        for field in _ERROR_FIELDS
        if _is_plain(getattr(error, field, None))
    }
    return {
        "status": "error",
        "kind": type(error).__name__,
        "message": str(error),
        "details": details,
    }


def _is_plain(value) -> bool:
    if isinstance(value, tuple):
        return all(type(item) is int for item in value)
    return type(value) in (int, str)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
