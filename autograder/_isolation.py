"""How the sandbox's child is started: under bubblewrap, or in the fallback, chosen once.

The grader's side of layer 2 (the child's side is `_confine`). Stages:
1. `choose` the mode: `Limits.sandbox` ("auto", "bwrap" or "fallback"; "auto" reads the
   environment variable CUDALIKE_SANDBOX, here and nowhere else), "auto" meaning bubblewrap
   when `bwrap_works` (probed once per process, with the very command a job uses);
2. `prepare` the command prefix, working directory, environment and the uid the child drops to:
   - bwrap: new PID, network, IPC, UTS and cgroup namespaces, `--die-with-parent`,
     `--new-session`, `--cap-drop ALL` when root; a read-only view holding only the system
     (/usr and the loader's files in /etc), the Python installation and the packages the child
     imports (autograder, cudalike and the job's own top-level package; the exercises a
     wheel keeps inside autograder/ covered by an empty tmpfs), so the exercise folders, the
     class's submissions and the output folder are not even visible; a private
     tmpfs at /tmp, whose /tmp/work is the working directory and HOME;
   - fallback: the child runs as this user in a private temporary directory; as root it drops
     to a per-job unprivileged uid and gid (the directory is given to that uid).
Either way the child then confines itself (`_confine`): no_new_privs, seccomp, limits.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import secrets
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import autograder
import cudalike
from cudalike import config

Mode = Literal["bwrap", "fallback"]
MODES = ("auto", "bwrap", "fallback")
ENVIRONMENT_VARIABLE = "CUDALIKE_SANDBOX"
REPOSITORY = Path(autograder.__file__).resolve().parent.parent
_SANDBOX_WORK = "/tmp/work"
_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "nsswitch.conf")
_SYSTEM_LINKS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
# A uid range no account uses: each fallback job as root gets its own uid and gid from it.
_FIRST_UID, _UIDS = 0x60000000, 1 << 24
PYTHON_FLAGS = ["-B", "-s"] + (["-P"] if sys.version_info >= (3, 11) else [])


class SandboxUnavailable(RuntimeError):
    """The requested mode cannot run here (bubblewrap missing or not working)."""


@dataclasses.dataclass(frozen=True)
class Launch:
    """How to start one child.

    Attributes:
        prefix: the command before `python -m autograder._runner SPEC_FD RESULT_FD`.
        cwd: the working directory Popen is given (the grader's temporary directory).
        env: the child's whole environment.
        drop_to: (uid, gid) the child takes before loading the submission, or None.
        mode: "bwrap" or "fallback".
    """

    prefix: list[str]
    cwd: str
    env: dict[str, str]
    drop_to: tuple[int, int] | None
    mode: Mode


def requested_mode(setting: str) -> str:
    """`Limits.sandbox` resolved against CUDALIKE_SANDBOX: the one place it is read."""
    if setting == "auto":
        setting = os.environ.get(ENVIRONMENT_VARIABLE, "auto") or "auto"
    if setting not in MODES:
        raise ValueError(f"the sandbox mode must be one of {', '.join(MODES)}, not {setting!r}")
    return setting


def choose(setting: str) -> Mode:
    """The mode a job runs in; raises SandboxUnavailable when "bwrap" is asked for in vain."""
    mode = requested_mode(setting)
    if mode == "fallback":
        return "fallback"
    if bwrap_works():
        return "bwrap"
    if mode == "bwrap":
        raise SandboxUnavailable(f"bubblewrap is not available or does not work: {_probe()[1]}")
    return "fallback"


def bwrap_works() -> bool:
    """True when bubblewrap runs this Python with the job's view (probed once per process)."""
    return _probe()[0]


@functools.cache
def _probe() -> tuple[bool, str]:
    if shutil.which("bwrap") is None:
        return False, "no bwrap on PATH (Debian/Ubuntu: apt-get install bubblewrap)"
    command = [*_bwrap_prefix([]), sys.executable, *PYTHON_FLAGS, "-c", "import numpy"]
    try:
        done = subprocess.run(
            command, env=_environment(_SANDBOX_WORK), capture_output=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return False, str(error)
    message = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
    return done.returncode == 0, message[0]


def prepare(mode: Mode, job: Callable, workdir: str) -> Launch:
    """The command prefix, directory, environment and uid of a child in `mode`."""
    if mode == "bwrap":
        prefix = _bwrap_prefix(_module_paths(job.__module__))
        return Launch(prefix, workdir, _environment(_SANDBOX_WORK), None, mode)
    drop_to = None
    if os.geteuid() == 0:
        uid = _FIRST_UID + secrets.randbelow(_UIDS)
        drop_to = (uid, uid)
        os.chown(workdir, uid, uid)
    return Launch([], workdir, _environment(workdir), drop_to, mode)


def _environment(home: str) -> dict[str, str]:
    return {
        # No PATH: the child may run no program, and libraries that would (ctypes.util's
        # find_library runs gcc through a temporary file) then give up quietly.
        "PATH": "",
        "PYTHONPATH": str(REPOSITORY),
        "HOME": home,
        "LANG": "C.UTF-8",
        # the language of the runtime's messages, as the grader's own (config.language)
        "CUDALIKE_LANG": config.get().language,
        # one thread per math library: threads reserve address space against RLIMIT_AS
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def _bwrap_prefix(extra: list[Path]) -> list[str]:
    """bwrap's options: namespaces, /dev, /proc and a private /tmp, then the read-only view."""
    command = [
        shutil.which("bwrap") or "bwrap",
        "--die-with-parent",
        "--new-session",
        "--unshare-pid",
        "--unshare-net",
    ]
    command += ["--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    if os.geteuid() == 0:
        command += ["--cap-drop", "ALL"]
    # The private /tmp first: a later mount covers an earlier one, and a Python installed
    # under /tmp (a CI runner's venv) must stay visible through its bind below.
    command += ["--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
    for name in _SYSTEM_LINKS:  # merged-/usr systems link these into /usr
        path = Path("/", name)
        if path.is_symlink():
            command += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            command += ["--ro-bind", str(path), str(path)]
    for path in _minimal([Path("/usr"), *_python_paths(), *_package_paths(), *extra]):
        command += ["--ro-bind", str(path), str(path)]
    for folder in _package_paths()[:1]:  # an installed wheel keeps its exercises inside
        if (folder / "exercises").is_dir():
            command += ["--tmpfs", str(folder / "exercises")]
    for name in _ETC:
        if Path("/etc", name).exists():
            command += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    command += ["--dir", _SANDBOX_WORK]
    return command + ["--chdir", _SANDBOX_WORK, "--"]


def _python_paths() -> list[Path]:
    """The interpreter and its libraries: the prefixes, the installation's directories and
    the import path's folders (a user site, a .pth line), never a folder holding exercises."""
    paths = [sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix]
    paths += [value for key, value in sysconfig.get_paths().items() if key != "data"]
    paths.append(os.path.dirname(os.path.realpath(sys.executable)))
    found = [Path(p).resolve() for p in paths if p and Path(p).is_dir()]
    imports = [Path(p).resolve() for p in sys.path if p and Path(p).is_dir()]
    return found + [
        path
        for path in imports
        if not REPOSITORY.is_relative_to(path) and not (path / "exercises").exists()
    ]


def _package_paths() -> list[Path]:
    """The grader's own packages (never the repository root: exercises live there)."""
    return [Path(autograder.__file__).resolve().parent, Path(cudalike.__file__).resolve().parent]


def _module_paths(module_name: str) -> list[Path]:
    """The top-level package (or module file) of a job's module, to be importable by name."""
    top = sys.modules.get(module_name.partition(".")[0])
    if top is None:
        return []
    if hasattr(top, "__path__"):
        return [Path(p).resolve() for p in top.__path__ if Path(p).is_dir()]
    return [Path(top.__file__).resolve()] if getattr(top, "__file__", None) else []


def _minimal(paths: list[Path]) -> list[Path]:
    """`paths` without duplicates and without those inside another, shortest first."""
    kept: list[Path] = []
    for path in sorted(set(paths), key=lambda p: len(p.parts)):
        if path.exists() and not any(path.is_relative_to(parent) for parent in kept):
            kept.append(path)
    return kept
