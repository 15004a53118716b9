"""Run a grading job in a separate, resource-limited process; return a verdict, never a guess.

`run_job(job, *args, submission=extracted)` starts `python -m autograder._runner` with
`subprocess`, not `multiprocessing`: the command line, environment, working directory, file
descriptors and process group are then all chosen here, explicitly, and the child never
re-imports the grader's `__main__` (a notebook, the CLI) as multiprocessing's spawn does.
Stages, in order:
1. make an empty temporary working directory and two pipes: one carries the job to the child,
   one carries the result back; only those two descriptors are inherited;
2. start the child in its own session (a process group to kill), with a minimal environment
   (PATH, PYTHONPATH for this repository, HOME in the temporary directory) and stdout and
   stderr in unlinked temporary files;
3. send the pickled job (the job must be importable by name: a module-level function);
4. read the result pipe until the child closes it or the wall-clock limit passes, then kill
   the whole process group;
5. decode the one message with `_channel.decode` (plain values and numeric arrays only) and
   give an `Outcome`: ok, error, timeout, memory, crashed or malformed.
The child sets its own CPU, address-space and file-size limits before loading the submission.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from autograder import _channel
from autograder.extract import Extracted

Status = Literal["ok", "error", "timeout", "memory", "crashed", "malformed"]
_REPOSITORY = Path(__file__).resolve().parent.parent


@dataclasses.dataclass(frozen=True)
class Limits:
    """Resource limits of one job.

    Attributes:
        cpu_seconds: CPU time of the child after its start-up (default 20).
        memory_bytes: address space of the whole child, the runtime included (default 2 GiB).
        wall_seconds: wall-clock time from start to result, start-up included (default 30).
        file_bytes: largest file the child may write, captured output included (default 8 MiB).
        output_chars: characters of stdout and of stderr kept in the outcome (default 20,000).
    """

    cpu_seconds: float = 20.0
    memory_bytes: int = 2 << 30
    wall_seconds: float = 30.0
    file_bytes: int = 8 << 20
    output_chars: int = 20_000

    def __post_init__(self):
        for field in dataclasses.fields(self):
            if getattr(self, field.name) <= 0:
                raise ValueError(f"Limits.{field.name} must be positive")


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What became of a job.

    Attributes:
        status: ok (`value` holds the result), error (an exception: `kind` is its class name,
            `message` its text, `details` the runtime's coordinates such as line and thread),
            timeout (`kind` is "cpu" or "wall"), memory, crashed (the child ended without a
            result), malformed (the result was not plain values and numeric arrays).
        value: the job's return value when status is ok.
        kind: see status.
        message: what happened, in words.
        details: for errors, plain coordinates (kernel, filename, line, block, thread...).
        stdout: what the child printed (truncated to Limits.output_chars).
        stderr: what the child wrote to stderr (truncated likewise).
        seconds: wall-clock seconds of the child.
    """

    status: Status
    value: object = None
    kind: str = ""
    message: str = ""
    details: dict = dataclasses.field(default_factory=dict)
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0


def run_job(
    job: Callable[..., object],
    *args: object,
    submission: Extracted | None = None,
    limits: Limits | None = None,
) -> Outcome:
    """Run `job(module, *args)` in a limited child process; `module` is `submission` loaded.

    Args:
        job: a module-level function (pickled by name); its first parameter receives the
            submission's module, or None when `submission` is None.
        *args: pickled to the child; they should hold nothing the submission must not see.
        submission: the extracted, checked submission (`extract.extract(...)`).
        limits: resource limits; `Limits()` when None.

    Returns:
        The outcome; a job's exception or a crash is a status, never raised here.

    Example:
        >>> def total(module, a):  # in a module the child can import by name
        ...     return a.sum()
        >>> run_job(total, numpy.arange(4)).value  # doctest: +SKIP
        6
    """
    limits = limits or Limits()
    spec = pickle.dumps((job, args, submission, limits))
    with tempfile.TemporaryDirectory(prefix="cudalike-job-") as workdir:
        with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
            status, data, seconds = _run_child(spec, workdir, stdout, stderr, limits)
            outputs = {"stdout": _read(stdout, limits), "stderr": _read(stderr, limits)}
    return dataclasses.replace(_verdict(status, data), seconds=seconds, **outputs)


def _run_child(spec: bytes, workdir: str, stdout, stderr, limits: Limits):
    """Stages 1-4: start the child, send the job, collect the result bytes and the exit."""
    spec_read, spec_write = os.pipe()
    result_read, result_write = os.pipe()
    flags = ["-B", "-s"] + (["-P"] if sys.version_info >= (3, 11) else [])
    command = [sys.executable, *flags, "-m", "autograder._runner"]
    start = time.monotonic()
    try:
        process = subprocess.Popen(
            [*command, str(spec_read), str(result_write)],
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            cwd=workdir,
            env=_environment(workdir),
            pass_fds=(spec_read, result_write),
            start_new_session=True,
        )
    finally:
        os.close(spec_read)
        os.close(result_write)
    threading.Thread(target=_send, args=(spec_write, spec), daemon=True).start()
    deadline = start + limits.wall_seconds
    data, complete = _receive(result_read, deadline)
    if complete:
        try:
            process.wait(max(deadline - time.monotonic(), 0.01))
        except subprocess.TimeoutExpired:
            pass  # killed below: a result followed by a hang is a crash
    _kill_group(process)
    process.wait()
    seconds = time.monotonic() - start
    return (process.returncode if complete else "wall"), data, seconds


def _environment(workdir: str) -> dict[str, str]:
    return {
        "PATH": os.defpath,
        "PYTHONPATH": str(_REPOSITORY),
        "HOME": workdir,
        "LANG": "C.UTF-8",
        # one thread per math library: threads reserve address space against RLIMIT_AS
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def _send(fd: int, data: bytes) -> None:
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError:
        pass  # the child ended before reading its job; its exit status tells why
    finally:
        os.close(fd)


def _receive(fd: int, deadline: float) -> tuple[bytes, bool]:
    """Read until end of file (True) or the deadline (False)."""
    chunks, size = [], 0
    try:
        while (remaining := deadline - time.monotonic()) > 0:
            if not select.select([fd], [], [], remaining)[0]:
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks), True
            size += len(chunk)
            if size > _channel.MAX_BYTES:
                return b"", True  # decoded as malformed: an empty message
            chunks.append(chunk)
        return b"".join(chunks), False
    finally:
        os.close(fd)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # the group is already gone


def _read(file, limits: Limits) -> str:
    file.seek(0)
    text = file.read(limits.output_chars * 4).decode("utf-8", errors="replace")
    if len(text) > limits.output_chars:
        return text[: limits.output_chars] + "\n[... output truncated]"
    return text


def _verdict(status: int | str, data: bytes) -> Outcome:
    """Stage 5: the outcome from the exit status and the result bytes."""
    if status == "wall":
        return Outcome("timeout", kind="wall", message="the wall-clock time limit was reached")
    if status == -signal.SIGXCPU:
        return Outcome("timeout", kind="cpu", message="the CPU time limit was reached")
    if status != 0 or not data:
        return Outcome("crashed", kind=_exit_name(status), message=_crash_message(status))
    try:
        message = _channel.decode(data)
    except _channel.MalformedResult as error:
        return Outcome("malformed", message=str(error))
    result = message.get("status")
    if result == "ok" and "value" in message:
        return Outcome("ok", value=message["value"])
    if result in ("error", "memory", "malformed"):
        details = message.get("details", {})
        kind = message.get("kind", "")
        text = message.get("message", "")
        if isinstance(details, dict) and isinstance(kind, str) and isinstance(text, str):
            return Outcome(result, kind=kind, message=text, details=details)
    return Outcome("malformed", message="the result message has an unknown form")


def _exit_name(status: int) -> str:
    if status < 0:
        return signal.Signals(-status).name
    return f"exit {status}"


def _crash_message(status: int) -> str:
    if status < 0:
        return f"the process was killed by {signal.Signals(-status).name} before giving a result"
    return f"the process ended (exit status {status}) without giving a result"
