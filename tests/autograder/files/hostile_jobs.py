"""Jobs that play a layer-1 failure: arbitrary Python in the sandbox's child, after `load`.

Each tries one thing a hostile submission did against the first sandbox and returns what
happened, as text, so the test can check both the attempt's outcome and the world outside.
"""

import os
import signal
import socket
import sys
import time


def _attempt(action) -> str:
    try:
        action()
    except Exception as error:  # what the attempt met, whatever it is
        return f"{type(error).__name__}: {error}"
    return "done"


def double_fork_writer(submission, path: str) -> dict:
    """A grandchild detached by setsid that writes `path` a second after the job returns."""

    def escape():
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                time.sleep(1.0)
                with open(path, "w") as file:
                    file.write("escaped")
            os._exit(0)
        os.wait()

    return {"fork": _attempt(escape)}


def thread_and_fork(submission) -> dict:
    """A thread may start (numba and BLAS use them); a process may not."""
    import threading

    seen = []
    thread = threading.Thread(target=lambda: seen.append(1))
    started = _attempt(thread.start)
    thread.join() if started == "done" else None
    return {"thread": started, "ran": seen == [1], "fork": _attempt(os.fork)}


def kill(submission, pids: list) -> dict:
    """SIGKILL the parent (the supervisor) and each pid of `pids` (the grader, a sibling)."""
    results = {"parent": _attempt(lambda: os.kill(os.getppid(), signal.SIGKILL))}
    for pid in pids:
        results[str(pid)] = _attempt(lambda pid=pid: os.kill(pid, signal.SIGKILL))
    results["group"] = _attempt(lambda: os.killpg(0, signal.SIGKILL))
    results["everyone"] = _attempt(lambda: os.kill(-1, signal.SIGKILL))
    return results


def write_files(submission, paths: list) -> dict:
    """Create, append to, truncate and make folders at each of `paths`."""
    results = {}
    for path in paths:
        results[path] = [
            _attempt(lambda path=path: open(path, "w").close()),
            _attempt(lambda path=path: open(path, "a").close()),
            _attempt(lambda path=path: os.mkdir(path + ".d")),
            _attempt(lambda path=path: os.symlink("/etc/passwd", path + ".link")),
        ]
    return results


def network(submission) -> dict:
    """Open sockets of each family and connect to the loopback."""

    def connect():
        socket.create_connection(("127.0.0.1", 9), timeout=1)

    return {
        "inet": _attempt(lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM)),
        "unix": _attempt(lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)),
        "connect": _attempt(connect),
    }


def execute(submission) -> dict:
    """Run a program, through exec and through subprocess."""
    import subprocess

    return {
        "subprocess": _attempt(lambda: subprocess.run(["/bin/true"], check=False)),
        "exec": _attempt(lambda: os.execv("/bin/true", ["true"])),
    }


def read_file(submission, path: str) -> str:
    """Read the exercise's hidden sizes straight from its exercise.toml."""
    try:
        with open(path) as file:
            return file.read()
    except OSError as error:
        return f"{type(error).__name__}: {error}"


def flood(submission, megabytes: int) -> int:
    """Print `megabytes` MB to stdout, then answer."""
    line = "x" * 99 + "\n"
    for _ in range(megabytes * 10_000):
        sys.stdout.write(line)
    return 42


def forge_frame(submission, frame: bytes) -> None:
    """Write a forged result frame to the result pipe (its number is argv[2]), then exit 0."""
    os.write(int(sys.argv[2]), frame)
    os._exit(0)


def forge_then_return(submission, frame: bytes) -> int:
    """Write a forged frame, then let the runner write the real one after it."""
    os.write(int(sys.argv[2]), frame)
    return 1


def surrogate_message(submission) -> None:
    """An error whose message holds a lone surrogate and a NUL."""
    raise AssertionError("bad \ud800 text\x00 here")


def _honest_runs(plan: dict, cases: list) -> list:
    """What `run_cases` would answer for a correct vector_add, computed with numpy."""
    runs = []
    for index, case in enumerate(cases):
        arguments = case["arguments"]
        out = (arguments["a"] + arguments["b"]).astype(arguments["out"].dtype)
        run = {"status": "ok", "outputs": {"out": out}}
        if index == plan["speed_case"]:
            run["profile"] = {
                "time_us": 3.0,
                "roof_us": 2.0,
                "atomics": 0.0,
                "shared": 0.0,
                "loads_per_thread": 2.0,
                "block_sizes": [256],
                "lines": [],
                "ub_bytes": 0.0,
                "bounds": {"dram": 3.0},
                "pipes": {},
            }
        runs.append(run)
    return runs


def forge_extra_field(submission, plan, cases):
    runs = _honest_runs(plan, cases)
    runs[0]["score"] = 10
    return runs


def forge_extra_output(submission, plan, cases):
    runs = _honest_runs(plan, cases)
    runs[0]["outputs"]["passed"] = runs[0]["outputs"]["out"]
    return runs


def forge_wrong_dtype(submission, plan, cases):
    runs = _honest_runs(plan, cases)
    runs[1]["outputs"]["out"] = runs[1]["outputs"]["out"].astype("float64")
    return runs


def forge_wrong_shape(submission, plan, cases):
    runs = _honest_runs(plan, cases)
    runs[-1]["outputs"]["out"] = runs[-1]["outputs"]["out"][:-1]
    return runs


def forge_missing_case(submission, plan, cases):
    return _honest_runs(plan, cases)[:-1]


def forge_nan_profile(submission, plan, cases):
    runs = _honest_runs(plan, cases)
    runs[plan["speed_case"]]["profile"]["time_us"] = float("nan")
    return runs


def forge_unknown_pipe(submission, plan, cases):
    runs = _honest_runs(plan, cases)
    runs[plan["speed_case"]]["profile"]["pipes"] = {"TENSOR_CORE": 0.5}
    return runs


def forge_negative_profile(submission, plan, cases):
    runs = _honest_runs(plan, cases)
    runs[plan["speed_case"]]["profile"]["atomics"] = -1.0
    return runs


def forge_list_for_dict(submission, plan, cases):
    runs = _honest_runs(plan, cases)
    runs[0]["outputs"] = [runs[0]["outputs"]["out"]]
    return runs


def surrogate_errors(submission, plan, cases):
    """Every case an error whose message holds a lone surrogate and a NUL."""
    return [{"status": "error", "kind": "Assert\udcff", "message": "bad \ud800\x00"} for _ in cases]
