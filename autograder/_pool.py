"""A pool of grading workers that no submission can stop: started, watched and replaced here.

`grade_all(tasks, jobs, deliver)` grades every task in up to `jobs` worker processes
(`python -m autograder._worker`), each started by this process in its own session. Stages:
1. start workers as needed (at most `jobs`, never more than tasks are left) and give each idle
   one the next task, one JSON line on its stdin;
2. wait on every busy worker's result pipe, up to the nearest deadline (the task's
   `Limits.grading_seconds`);
3. a JSON line that validates (`result.validated`) is the task's result; anything else, a
   worker that died (its pipe ended: "killed by SIGKILL", "exited with status 1"), or one past
   its deadline (killed: "timed out after N s") gives the task an "error" row saying so, and a
   dead or killed worker is replaced by a fresh one for the next task;
4. `deliver(task, result)` is called once per task, in this process: only the caller writes.
Workers left at the end, or on an exception here (Ctrl-C), are killed.
"""

from __future__ import annotations

import collections
import dataclasses
import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import NamedTuple

from autograder.result import SubmissionResult, validated
from autograder.sandbox import Limits

# The worker's module, run as `python -m WORKER_MODULE RESULT_FD MEMORY_BYTES`.
WORKER_MODULE = "autograder._worker"
_SIGNALS = {int(s): s.name for s in signal.Signals}


class Task(NamedTuple):
    """One submission to grade: `destination` is where the caller writes its result JSON."""

    exercise: str
    path: str
    destination: str
    seed: int | None
    limits: Limits


class _Worker:
    """One worker process: its result pipe, what it has read so far, its task and deadline."""

    def __init__(self, limits: Limits):
        read, write = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", WORKER_MODULE, str(write), str(limits.grading_memory_bytes)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(write,),
                start_new_session=True,
            )
        except BaseException:
            os.close(read)
            raise
        finally:
            os.close(write)
        self.fd = read
        self.buffer = b""
        self.task: Task | None = None
        self.deadline = 0.0

    def give(self, task: Task) -> bool:
        """Send `task`; False when the worker is already gone."""
        self.task, self.deadline = task, time.monotonic() + task.limits.grading_seconds
        line = json.dumps(
            {
                "exercise": task.exercise,
                "path": task.path,
                "seed": task.seed,
                "limits": dataclasses.asdict(task.limits),
            }
        )
        try:
            self.process.stdin.write(line.encode("ascii") + b"\n")
            self.process.stdin.flush()
        except OSError:
            return False
        return True

    def read(self) -> bytes | None:
        """A complete answer line, b"" while incomplete, None when the pipe ended."""
        chunk = os.read(self.fd, 1 << 20)
        if not chunk:
            return None
        self.buffer += chunk
        line, newline, rest = self.buffer.partition(b"\n")
        if not newline:
            return b""
        self.buffer = rest
        return line

    def kill(self) -> str:
        """Kill the worker (its whole session) and say how it ended."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        code = self.process.wait()
        os.close(self.fd)
        if self.process.stdin:
            try:
                self.process.stdin.close()
            except OSError:
                pass
        if code < 0:
            return f"was killed by {_SIGNALS.get(-code, f'signal {-code}')}"
        return f"exited with status {code}"


def grade_all(
    tasks: list[Task], jobs: int, deliver: Callable[[Task, SubmissionResult], None]
) -> None:
    """Grade every task in at most `jobs` supervised workers; see the module docstring."""
    pending = collections.deque(tasks)
    busy: dict[int, _Worker] = {}
    idle: list[_Worker] = []
    try:
        while pending or busy:
            while pending and len(busy) < jobs:
                task = pending.popleft()
                worker = _assign(task, idle.pop() if idle else None)
                if isinstance(worker, _Worker):
                    busy[worker.fd] = worker
                else:
                    deliver(task, _failure(task, worker))
            timeout = max(min(w.deadline for w in busy.values()) - time.monotonic(), 0)
            ready = select.select(list(busy), [], [], timeout)[0] if busy else []
            for fd in ready:
                worker = busy[fd]
                line = worker.read()
                if line == b"":
                    continue
                del busy[fd]
                if line is None:
                    deliver(
                        worker.task, _failure(worker.task, f"the grading worker {worker.kill()}")
                    )
                    continue
                deliver(worker.task, _answer(worker.task, line))
                idle.append(worker)
            for fd, worker in list(busy.items()):
                if fd not in ready and time.monotonic() >= worker.deadline:
                    del busy[fd]
                    worker.kill()
                    seconds = worker.task.limits.grading_seconds
                    deliver(worker.task, _failure(worker.task, f"timed out after {seconds:g} s"))
    finally:
        for worker in [*busy.values(), *idle]:
            worker.kill()


def _assign(task: Task, worker: _Worker | None) -> _Worker | str:
    """Give `task` to `worker`, or to a fresh one when there is none or it has died since its
    last task (that was not this submission's doing); the failure's text if a fresh one fails."""
    if worker is not None:
        if worker.give(task):
            return worker
        worker.kill()
    worker = _Worker(task.limits)
    return worker if worker.give(task) else f"the grading worker {worker.kill()} on start"


def _answer(task: Task, line: bytes) -> SubmissionResult:
    """The task's result from a worker's answer line, or an error row saying what was wrong."""
    try:
        message = json.loads(line)
        if "failure" in message:
            return _failure(task, str(message["failure"]))
        return validated(message["result"])
    except (ValueError, TypeError, KeyError) as error:
        return _failure(task, f"the grading worker sent back an invalid result: {error}")


def _failure(task: Task, message: str) -> SubmissionResult:
    """The "error" row of a task the grader could not grade (regraded by --resume)."""
    return SubmissionResult(
        str(task.exercise), task.path, "error", 0.0, 0.0, [], [], None, [], message=message
    )
