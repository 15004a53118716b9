"""Compiling a heavy kernel in another process while the vector engine runs its launch.

In "auto", a heavy launch whose machine code is not ready runs on the vector engine: a
learner's cell never waits for numba. It also starts, once per generated module, a separate
Python process that compiles the driver for this launch's argument types into numba's disk
cache (the generated module's `__pycache__`), on another core. A later launch of the kernel
finds the code ready (`launcher._ready`) and runs compiled. Where no process can be started
(the grader's sandbox forbids it) nothing happens and the vector engine goes on running it.

Run as a program (`python -m cudalike.simt.compiled.background SOURCE MODULE`), it reads the
pickled numba signature from its standard input, registers the numpy loops the module calls
(ufuncs.py: addresses are found again in this process, never passed on), imports the module
under the parent's module name (numba's cache records it) and compiles `driver`.
"""

from __future__ import annotations

import os
import pathlib
import pickle
import re
import subprocess
import sys

_LOOP_SYMBOL = re.compile(r"""["']cudalike_numpy_loop_(\w+)_(\w)["']""")
_started: dict[str, subprocess.Popen | None] = {}  # generated module -> its compiling process


def compile_later(driver, arguments: list) -> None:
    """Start compiling `driver` for these arguments' types in another process, unless one was
    started for its module already (running, done, or failed to start)."""
    source = driver.py_func.__code__.co_filename
    _reap()
    if source in _started:
        return
    _started[source] = None
    try:
        from numba import typeof  # numba is loaded: the driver exists

        signature = pickle.dumps(tuple(typeof(value) for value in arguments))
        package_root = str(pathlib.Path(__file__).resolve().parents[3])
        paths = [package_root, os.environ.get("PYTHONPATH", "")]
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
        process = subprocess.Popen(
            [sys.executable, "-m", __name__, source, driver.py_func.__module__],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=environment,
            start_new_session=True,  # a notebook's interrupt does not stop it
        )
        process.stdin.write(signature)
        process.stdin.close()
    except Exception:  # no process allowed (a sandbox), no interpreter: the vector engine runs
        return
    _started[source] = process


def wait(timeout: float | None = None) -> None:
    """Wait for every compiling process this process started (for tests and benchmarks)."""
    for process in _started.values():
        if process is not None:
            process.wait(timeout)
    _reap()


def _reap() -> None:
    """Collect processes that ended, so none lingers as a zombie."""
    for process in _started.values():
        if process is not None:
            process.poll()


def _compile(source: str, module_name: str, signature: tuple) -> None:
    import importlib.util

    import numpy as np

    from cudalike.simt.compiled import ufuncs

    if hasattr(os, "nice"):  # POSIX: the launch running meanwhile on the vector engine first
        os.nice(19)
    text = pathlib.Path(source).read_text()
    for name, char in sorted(set(_LOOP_SYMBOL.findall(text))):
        if ufuncs.symbol(getattr(np, name), np.dtype(char)) is None:
            return  # the loop is not found here: the parent's compile would not be the same
    spec = importlib.util.spec_from_file_location(module_name, source)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    module.driver.compile(signature)


if __name__ == "__main__":
    _compile(sys.argv[1], sys.argv[2], pickle.loads(sys.stdin.buffer.read()))
