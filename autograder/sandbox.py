"""Run a grading job in a separate, confined process; return a verdict, never a guess.

`run_job(job, *args, submission=extracted)` starts `python -m autograder._runner` with
`subprocess`, not `multiprocessing`: the command line, environment, working directory, file
descriptors and process group are then all chosen here, explicitly, and the child never
re-imports the grader's `__main__` (a notebook, the CLI) as multiprocessing's spawn does.
This is layer 2 of the trust boundary: it holds even if arbitrary Python runs in the child
(docs/autograder-integrity.md, "The sandbox: layer 2"). Stages, in order:
1. choose the mode once (`_isolation`: bubblewrap where it works, else the fallback) and make
   an empty temporary working directory;
2. start the child in its own session, with a minimal environment, four pipes (the job in;
   the result, stdout and stderr out) and only the job's and the result's inherited;
3. send the pickled job (a module-level function, pickled by name) with the uid to drop to;
   the child confines itself before loading the submission (`_confine`);
4. read the result, stdout and stderr together until the result pipe ends or the wall-clock
   limit passes, wait for the exit until the deadline, kill the process group (and with it,
   in each mode, every process the child started), then drain the output pipes;
5. keep the first `Limits.output_chars` characters of stdout and of stderr, with a note of how
   many more there were (a flood costs nothing but the reading);
6. decode the one message with `_channel.decode` (plain values and numeric arrays only) and
   give an `Outcome`: ok, error, timeout, memory, crashed, malformed or sandbox.
"""

from __future__ import annotations

import codecs
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
from typing import Literal

from autograder import _channel, _isolation
from autograder.extract import Extracted

Status = Literal["ok", "error", "timeout", "memory", "crashed", "malformed", "sandbox"]
_POLL_SECONDS = 0.02
_DRAIN_SECONDS = 2.0  # after the kill every writer is gone; this only bounds a surprise
_SIGNALS = {int(s): s.name for s in signal.Signals}


@dataclasses.dataclass(frozen=True)
class Limits:
    """Resource limits of one job, and the sandbox mode.

    Attributes:
        cpu_seconds: CPU time of the child after its start-up (default 20).
        memory_bytes: address space of the whole child, the runtime included (default 2 GiB).
        wall_seconds: wall-clock time from start to result, start-up included (default 30).
        file_bytes: largest file the child may write (default 8 MiB); it can open none for
            writing where seccomp runs, and its stdout and stderr are pipes, never limited.
        output_chars: characters of stdout and of stderr kept in the outcome (default 20,000).
        sandbox: "auto" (bubblewrap where it works, else the fallback; the environment
            variable CUDALIKE_SANDBOX may say "bwrap" or "fallback" instead), "bwrap" (an
            error outcome where bubblewrap does not work) or "fallback".
        grading_seconds: in a batch, the wall-clock time one submission's whole grading may
            take in its worker, extraction and reference included (default 120).
        grading_memory_bytes: in a batch, the address space of a grading worker (default
            8 GiB; the child's own limit is `memory_bytes`).
    """

    cpu_seconds: float = 20.0
    memory_bytes: int = 2 << 30
    wall_seconds: float = 30.0
    file_bytes: int = 8 << 20
    output_chars: int = 20_000
    sandbox: str = "auto"
    grading_seconds: float = 120.0
    grading_memory_bytes: int = 8 << 30

    def __post_init__(self):
        for field in dataclasses.fields(self):
            if field.name != "sandbox" and getattr(self, field.name) <= 0:
                raise ValueError(f"Limits.{field.name} must be positive")
        if self.sandbox not in _isolation.MODES:
            raise ValueError(f"Limits.sandbox must be one of {', '.join(_isolation.MODES)}")


@dataclasses.dataclass(frozen=True)
class Outcome:
    """What became of a job.

    Attributes:
        status: ok (`value` holds the result), error (an exception: `kind` is its class name,
            `message` its text, `details` the runtime's coordinates such as line and thread),
            timeout (`kind` is "cpu" or "wall"), memory, crashed (the child ended without a
            result), malformed (the result was not plain values and numeric arrays), sandbox
            (the sandbox could not be set up: the grader's fault, never the submission's).
        value: the job's return value when status is ok.
        kind: see status.
        message: what happened, in words.
        details: for errors, plain coordinates (kernel, filename, line, block, thread...).
        stdout: what the child printed (the first Limits.output_chars characters, then a note
            "[... output truncated: N more characters]").
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
    try:
        mode = _isolation.choose(limits.sandbox)
    except _isolation.SandboxUnavailable as error:
        return Outcome("sandbox", message=str(error))
    with tempfile.TemporaryDirectory(prefix="cudalike-job-") as workdir:
        launch = _isolation.prepare(mode, job, workdir)
        spec = pickle.dumps((job, args, submission, limits, launch.drop_to))
        status, data, outputs, seconds = _run_child(launch, spec, limits)
    return dataclasses.replace(_verdict(status, data), seconds=seconds, **outputs)


def _run_child(launch: _isolation.Launch, spec: bytes, limits: Limits):
    """Stages 1-5: start the child, send the job, collect the result and the output, kill."""
    spec_read, spec_write = os.pipe()
    result_read, result_write = os.pipe()
    stdout_read, stdout_write = os.pipe()
    stderr_read, stderr_write = os.pipe()
    command = [*launch.prefix, sys.executable, *_isolation.PYTHON_FLAGS]
    command += ["-m", "autograder._runner", str(spec_read), str(result_write)]
    start = time.monotonic()
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=stdout_write,
            stderr=stderr_write,
            cwd=launch.cwd,
            env=launch.env,
            pass_fds=(spec_read, result_write),
            start_new_session=True,
        )
    except BaseException:
        for fd in (spec_write, result_read, stdout_read, stderr_read):
            os.close(fd)
        raise
    finally:
        for fd in (spec_read, result_write, stdout_write, stderr_write):
            os.close(fd)
    threading.Thread(target=_send, args=(spec_write, spec), daemon=True).start()
    streams = _Streams(result_read, stdout_read, stderr_read, limits.output_chars)
    try:
        complete = streams.read_result(start + limits.wall_seconds)
        if complete:  # the result pipe ended: give the process until the deadline to exit
            streams.drain_until(lambda: process.poll() is not None, start + limits.wall_seconds)
        _kill_group(process)
        process.wait()
        streams.drain_until(lambda: False, time.monotonic() + _DRAIN_SECONDS)
    finally:
        streams.close()
    seconds = time.monotonic() - start
    status = process.returncode if complete else "wall"
    return status, streams.result, streams.texts(), seconds


def _send(fd: int, data: bytes) -> None:
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError:
        pass  # the child ended before reading its job; its exit status tells why
    finally:
        os.close(fd)


class _Streams:
    """The child's three pipes, read together: the result (whole, up to the channel's limit)
    and stdout and stderr (the first `chars` characters kept, the rest counted)."""

    def __init__(self, result: int, stdout: int, stderr: int, chars: int):
        self.result_fd = result
        self.chunks: list[bytes] = []
        self.size = 0
        self.captures = {stdout: _Capture(chars), stderr: _Capture(chars)}
        self.open = {result, stdout, stderr}

    @property
    def result(self) -> bytes:
        """The result bytes; empty when the message was larger than the channel allows."""
        return b"".join(self.chunks) if self.size <= _channel.MAX_BYTES else b""

    def read_result(self, deadline: float) -> bool:
        """Read every pipe until the result pipe ends (True) or the deadline passes (False)."""
        self.drain_until(lambda: self.result_fd not in self.open, deadline)
        return self.result_fd not in self.open

    def drain_until(self, done: Callable[[], bool], deadline: float) -> None:
        """Read whatever arrives until `done()` or the deadline, or until every pipe ended."""
        while self.open and not done() and (remaining := deadline - time.monotonic()) > 0:
            ready = select.select(list(self.open), [], [], min(remaining, _POLL_SECONDS))[0]
            for fd in ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    self.open.discard(fd)
                    os.close(fd)
                elif fd == self.result_fd:
                    self.size += len(chunk)
                    if self.size <= _channel.MAX_BYTES:
                        self.chunks.append(chunk)
                else:
                    self.captures[fd].add(chunk)

    def texts(self) -> dict[str, str]:
        """{"stdout": ..., "stderr": ...} as kept, with a note of what was left out."""
        stdout, stderr = self.captures.values()
        return {"stdout": stdout.text(), "stderr": stderr.text()}

    def close(self) -> None:
        for fd in self.open:
            os.close(fd)
        self.open.clear()


class _Capture:
    """Decoded text (invalid bytes replaced) up to `chars` characters; the rest only counted."""

    def __init__(self, chars: int):
        self.chars = chars
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.kept: list[str] = []
        self.length = 0
        self.dropped = 0

    def add(self, chunk: bytes) -> None:
        text = self.decoder.decode(chunk)
        room = max(self.chars - self.length, 0)
        self.kept.append(text[:room])
        self.length += min(len(text), room)
        self.dropped += max(len(text) - room, 0)

    def text(self) -> str:
        self.add(b"")
        tail = self.decoder.decode(b"", final=True)
        self.dropped += len(tail)
        text = "".join(self.kept)
        if self.dropped:
            text += f"\n[... output truncated: {self.dropped} more characters]"
        return text


def _kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the child's process group: the supervisor and the job (bwrap: the namespace,
    whose processes all die with it; fallback: the job dies with its supervisor)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # the group is already gone


def _verdict(status: int | str, data: bytes) -> Outcome:
    """Stage 6: the outcome from the exit status and the result bytes."""
    if status == "wall":
        return Outcome("timeout", kind="wall", message="the wall-clock time limit was reached")
    killed_by = _signal_of(status)
    if killed_by == signal.SIGXCPU:
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
    if result in ("error", "memory", "malformed", "sandbox"):
        details = message.get("details", {})
        kind = message.get("kind", "")
        text = message.get("message", "")
        if isinstance(details, dict) and isinstance(kind, str) and isinstance(text, str):
            return Outcome(result, kind=kind, message=text, details=details)
    return Outcome("malformed", message="the result message has an unknown form")


def _signal_of(status: int) -> int | None:
    """The signal that ended the job: a negative status (this process saw it), or 128 +
    the signal (the supervisor's and bubblewrap's way of passing it on)."""
    if status < 0:
        return -status
    if status > 128 and status - 128 in _SIGNALS:
        return status - 128
    return None


def _exit_name(status: int) -> str:
    killed_by = _signal_of(status)
    return _SIGNALS[killed_by] if killed_by else f"exit {status}"


def _crash_message(status: int) -> str:
    killed_by = _signal_of(status)
    if killed_by:
        return f"the process was killed by {_SIGNALS[killed_by]} before giving a result"
    return f"the process ended (exit status {status}) without giving a result"
