"""Kernel sources shared by the SIMT tests and bench/simt_speed.py, for cudalike or for numba.

Each file in files/ is ordinary kernel code beginning with `from cudalike import cuda`, its
kernels left undecorated (device functions carry `@cuda.jit(device=True)`, as numba requires).

- `load(name)` imports files/<name>.py as it is, as a fresh module each call.
- `load(name, backend="numba")` imports a temporary copy whose import line reads
  `from numba import cuda`, so one source text serves both runtimes.
- `line_of(name, marker)` is the line holding `# BUG: <marker>` or `# UNSUPPORTED: <marker>`.
- `run_on_simulator(jobs)` runs launches on numba's CUDA simulator in a child process:
  NUMBA_ENABLE_CUDASIM must be set before numba is first imported, which a test process that
  already imported cudalike (and so numba) cannot promise. This file is also that child's script.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import pickle
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

FILES = Path(__file__).resolve().parent / "files"
CUDALIKE_IMPORT = "from cudalike import cuda"
NUMBA_IMPORT = "from numba import cuda"
_serial = itertools.count()


def source_path(name: str) -> Path:
    """Path of files/<name>.py."""
    return FILES / f"{name}.py"


def load(name: str, backend: str = "cudalike") -> ModuleType:
    """Import files/<name>.py as a fresh module, for "cudalike" or "numba"."""
    path = source_path(name)
    if backend == "numba":
        text = path.read_text()
        if CUDALIKE_IMPORT not in text:
            raise ValueError(f"{path} lacks the line {CUDALIKE_IMPORT!r}")
        copy_dir = Path(tempfile.mkdtemp(prefix="cudalike-numba-"))
        path = copy_dir / path.name
        path.write_text(text.replace(CUDALIKE_IMPORT, NUMBA_IMPORT, 1))
    elif backend != "cudalike":
        raise ValueError(f"backend must be 'cudalike' or 'numba', not {backend!r}")
    module_name = f"_kernels_{backend}_{name}_{next(_serial)}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # inspect.getsource needs to find the module
    spec.loader.exec_module(module)
    return module


def jit(name: str, kernel: str, backend: str = "cudalike"):
    """Load files/<name>.py and return `cuda.jit(<kernel>)` from the chosen runtime."""
    module = load(name, backend)
    return module.cuda.jit(getattr(module, kernel))


def line_of(name: str, marker: str) -> int:
    """Line of files/<name>.py marked `# BUG: <marker>` or `# UNSUPPORTED: <marker>` (unique)."""
    lines = source_path(name).read_text().splitlines()
    tags = (f"# BUG: {marker}", f"# UNSUPPORTED: {marker}")
    found = [n for n, text in enumerate(lines, 1) if text.rstrip().endswith(tags)]
    if len(found) != 1:
        raise LookupError(f"{len(found)} lines of {name}.py are marked {marker!r}")
    return found[0]


@dataclass
class Job:
    """One launch for the simulator: kernel[griddim, blockdim, 0, sharedmem](*args).

    Array arguments are passed as numpy arrays; the result holds them after the launch.
    """

    name: str
    kernel: str
    griddim: object
    blockdim: object
    args: list = field(default_factory=list)
    sharedmem: int = 0


@dataclass
class SimResult:
    """What the simulator left: the arguments after the launch, its time, or the error text."""

    args: list | None
    seconds: float | None
    error: str | None = None


def run_on_simulator(jobs: list[Job], timeout: float | None = None) -> list[SimResult]:
    """Run the jobs, in order, on numba's CUDA simulator in one child process.

    Raises:
        subprocess.TimeoutExpired: the child ran past `timeout` seconds.
        RuntimeError: the child failed before it could report.
    """
    with tempfile.TemporaryDirectory(prefix="cudalike-sim-") as tmp:
        jobs_file, results_file = Path(tmp, "jobs.pkl"), Path(tmp, "results.pkl")
        jobs_file.write_bytes(pickle.dumps(jobs))
        env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1")
        command = [sys.executable, str(Path(__file__).resolve()), str(jobs_file), str(results_file)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0 or not results_file.exists():
            raise RuntimeError(f"simulator child failed:\n{done.stdout}\n{done.stderr}")
        return pickle.loads(results_file.read_bytes())


def simulator_available() -> str | None:
    """None when numba's CUDA simulator can be imported, else the reason it cannot."""
    probe = "from numba import cuda; assert cuda.is_available()"
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1")
    try:
        done = subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"cannot start the simulator: {error}"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return f"numba-cuda's simulator is not importable: {last}"
    return None


def _run_jobs(jobs_file: str, results_file: str) -> None:
    """Child side: run each job on the simulator and pickle what it left."""
    assert os.environ.get("NUMBA_ENABLE_CUDASIM") == "1", "run through run_on_simulator()"
    jobs = pickle.loads(Path(jobs_file).read_bytes())
    results = []
    for job in jobs:
        try:
            kernel = jit(job.name, job.kernel, backend="numba")
            start = time.perf_counter()
            kernel[job.griddim, job.blockdim, 0, job.sharedmem](*job.args)
            seconds = time.perf_counter() - start
            results.append(SimResult(args=job.args, seconds=seconds))
        except Exception as error:  # reported to the parent, which decides
            results.append(
                SimResult(args=None, seconds=None, error=f"{type(error).__name__}: {error}")
            )
    Path(results_file).write_bytes(pickle.dumps(results))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the repository root
    from tests.cudalike.simt.kernels import _run_jobs as run_jobs  # pickles name this module

    run_jobs(sys.argv[1], sys.argv[2])
