"""What the sandbox's child does to itself before the submission is loaded (layer 2).

Trusted code, run by `_runner.main` after it has read its job and before anything of the
submission runs, in every mode (`_isolation` says how the child was started). Stages:
1. `supervise`: become a child subreaper and fork. The parent stays trusted: it never loads
   the submission, waits for the job's process, then kills every process left below it
   (orphans are re-parented to it, a double fork and setsid included) and exits with the
   job's status (128 + the signal when the job was killed). Only the forked process returns.
2. `confine`, in the job's process: the parent-death signal (SIGKILL: if the supervisor is
   killed, so is the job); resource limits (CPU, address space, file size; RLIMIT_NPROC = 0
   when not root, so no process or thread can start); as root in the fallback, the switch to
   the job's own unprivileged uid and gid; then no_new_privs and the seccomp filter
   (`_seccomp`), on x86_64 and aarch64. A failure raises `ConfinementError`: the job must not
   run half-confined.
"""

from __future__ import annotations

import ctypes
import importlib
import os
import resource
import signal
import sys
import time

from autograder import _seccomp

_PR_SET_PDEATHSIG, _PR_SET_CHILD_SUBREAPER = 1, 36
# Imported before the uid switch: a private Python installation may not be readable by the
# job's uid (e.g. under /root), and these are what kernels and the profiler import lazily.
_PRELOAD = (
    "numpy",
    "numba",
    "cudalike",
    "cudalike.cuda",
    "cudalike.cann",
    "cudalike.profiler",
    "autograder._jobs",
)


class ConfinementError(RuntimeError):
    """The child could not confine itself; nothing of the submission may run."""


def supervise(result_fd: int) -> None:
    """Fork under a subreaper; return in the job's process, never in the supervisor.

    The supervisor closes `result_fd` at once, so the result pipe ends with the job.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise ConfinementError(f"prctl(PR_SET_CHILD_SUBREAPER): {os.strerror(ctypes.get_errno())}")
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        return
    os.close(result_fd)
    status = _wait(pid)
    kill_descendants(os.getpid())
    code = 128 + os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    os._exit(code)


def _wait(pid: int) -> int:
    """Wait for the job's process, reaping the orphans that arrive meanwhile."""
    while True:
        reaped, status = os.waitpid(-1, 0)
        if reaped == pid:
            return status


def kill_descendants(root: int) -> None:
    """SIGKILL every live process below `root` and reap those that are its children."""
    for _ in range(1000):
        found = descendants(root)
        if not found:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _reap()
        time.sleep(0.001)


def descendants(root: int) -> list[int]:
    """Live (not zombie) processes below `root`, read from /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as file:
                fields = file.read().rpartition(b")")[2].split()
        except OSError:
            continue  # it ended meanwhile
        if fields and fields[0] != b"Z":
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _reap() -> None:
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                return
        except ChildProcessError:
            return


def confine(limits, drop_to: tuple[int, int] | None) -> None:
    """Stage 2 in the job's process: limits, the uid switch, no_new_privs and seccomp.

    Args:
        limits: the job's `sandbox.Limits`.
        drop_to: (uid, gid) to switch to (the fallback as root), or None.

    Raises:
        ConfinementError: a step failed; the job must not run.
    """
    try:
        if drop_to is not None:
            _preload()
            os.setgroups([])
            os.setgid(drop_to[1])
            os.setuid(drop_to[0])
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:  # after setuid
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")
        _set_limits(limits)
        if _seccomp.supported():
            _seccomp.install()
    except OSError as error:
        raise ConfinementError(f"the sandbox could not be set up: {error}") from error


def _preload() -> None:
    """Import what kernels and the profiler load lazily, and read the shipped device profiles,
    while the files are still readable: the package may live where the job's uid cannot read
    (a venv under /root, a pytest folder of mode 0700)."""
    for name in _PRELOAD:
        importlib.import_module(name)
    from cudalike.model.devices_npu import load_npu_profile
    from cudalike.model.profiles import list_profiles

    list_profiles()
    load_npu_profile()


def _set_limits(limits) -> None:
    used = time.process_time()
    cpu = int(used + limits.cpu_seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if os.getuid() != 0:
        resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
