"""One conformance run, in its own process: numba-cuda's kernel tests under one engine.

`python -m tests.conformance.child MODE OUTPUT MODULE...` runs the named test modules of
numba-cuda's `tests/cudapy` folder (or, named `doc_examples.test_x`, of its `tests/doc_examples`
folder: the examples of numba-cuda's documentation) with unittest and writes each test's
outcome to OUTPUT as JSON. MODE is "simulator" (numba's own CUDA simulator) or "cudalike" (the
same simulator environment, then drop-in mode, so `numba.cuda` in the tests is cudalike). Both
modes set NUMBA_ENABLE_CUDASIM=1 before numba is imported, so the tests skip the same GPU-only
checks. The documentation examples all skip themselves on the simulator because it cannot run
`from numba import cuda` inside a function; that skip is lifted in both modes, so each engine
runs every example as the documentation shows it. So is the skip of the kernel test modules in
SIMULATOR_GAPS, whose reason is a feature the simulator lacks, not a GPU-only check.

In cudalike mode the output also holds, per module, how cudalike's launches went
(`cudalike.simt.compiled.launcher.outcomes`: "compiled", "handed back", "outside subset",
"vector"), so a run with the environment variable CUDALIKE_TIER=compiled shows how many launches
the compiled tier ran.
"""

from __future__ import annotations

import collections
import importlib
import importlib.util
import json
import os
import signal
import sys
import tempfile
import time
import types
import unittest
from pathlib import Path

import pytest

PACKAGE = "cudalike_conformance_cudapy"
DOC_PACKAGE = "cudalike_conformance_doc_examples"
DOC_PREFIX = "doc_examples."
# What a test module raises at import to skip itself (unittest's, or pytest.importorskip's).
_Skipped = (unittest.SkipTest, pytest.skip.Exception)
# Kernel test modules that skip themselves on the simulator for a feature it lacks (the reason
# numba-cuda gives); both modes run them, as for the documentation examples.
SIMULATOR_GAPS = {
    "test_warp_ops": "Warp Operations are not yet implemented on cudasim",
}


def _stub_filecheck() -> None:
    """numba.cuda.testing imports filecheck (LLVM FileCheck for PTX tests); stub it if absent."""
    if importlib.util.find_spec("filecheck") is not None:
        return
    root = types.ModuleType("filecheck")
    root.__path__ = []
    sys.modules["filecheck"] = root
    for name, attributes in {
        "matcher": ("Matcher",),
        "options": ("Options",),
        "parser": ("Parser", "pattern_for_opts"),
        "finput": ("FInput",),
    }.items():
        module = types.ModuleType(f"filecheck.{name}")
        for attribute in attributes:
            setattr(module, attribute, None)
        sys.modules[module.__name__] = module


def tests_folder() -> Path:
    """Where the installed numba-cuda keeps its tests."""
    spec = importlib.util.find_spec("numba_cuda")
    return Path(spec.submodule_search_locations[0]) / "numba" / "cuda" / "tests"


def cudapy_folder() -> Path:
    """Where the installed numba-cuda keeps its kernel tests."""
    return tests_folder() / "cudapy"


def doc_examples_folder() -> Path:
    """Where the installed numba-cuda keeps the examples of its documentation, as tests."""
    return tests_folder() / "doc_examples"


class Collector(unittest.TestResult):
    """Records one outcome per test: pass, fail, error, skip (and the first line of why)."""

    def __init__(self) -> None:
        super().__init__()
        self.outcomes: dict[str, dict] = {}

    def _record(self, test: unittest.TestCase, outcome: str, why: str = "") -> None:
        self.outcomes[_test_id(test)] = {"outcome": outcome, "why": why}

    def addSuccess(self, test):  # noqa: N802 - unittest's names
        self._record(test, "pass")

    def addFailure(self, test, err):  # noqa: N802
        self._record(test, "fail", _why(err))

    def addError(self, test, err):  # noqa: N802
        if isinstance(test, unittest.suite._ErrorHolder):  # setUpClass / module import failures
            self.outcomes[str(test)] = {"outcome": "error", "why": _why(err)}
            return
        self._record(test, "error", _why(err))

    def addSkip(self, test, reason):  # noqa: N802
        self._record(test, "skip", reason)

    def addExpectedFailure(self, test, err):  # noqa: N802
        self._record(test, "pass")

    def addUnexpectedSuccess(self, test):  # noqa: N802
        self._record(test, "fail", "unexpected success")

    def addSubTest(self, test, subtest, err):  # noqa: N802
        if err is not None:
            self._record(test, "fail", _why(err))


def _why(err: tuple) -> str:
    """The exception's type and the first line of its message."""
    error = err[1]
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"[:300]


def _test_id(test: unittest.TestCase) -> str:
    if isinstance(test, unittest.FunctionTestCase):  # a pytest-style function of a module
        function = test._testFunc
        module = function.__module__.replace(f"{DOC_PACKAGE}.", DOC_PREFIX)
        return f"{module.removeprefix(f'{PACKAGE}.')}.{function.__name__}"
    return test.id().removeprefix(f"{PACKAGE}.").replace(f"{DOC_PACKAGE}.", DOC_PREFIX)


def _lifts_simulator_skip(name: str) -> bool:
    return name.startswith(DOC_PREFIX) or name in SIMULATOR_GAPS


def _import_without_simulator_skip(name: str) -> types.ModuleType:
    """Import a documentation example, or a module of SIMULATOR_GAPS, with `skip_on_cudasim`
    a no-op while it is imported.

    Every example skips itself on the simulator ("cudasim doesn't support cuda import at
    non-top-level"); lifting that lets both engines run them. The kernel tests imported
    later see numba-cuda's own `skip_on_cudasim` again.
    """
    testing = sys.modules["numba.cuda.testing"]  # numba-cuda's, imported before drop-in
    original = testing.skip_on_cudasim
    testing.skip_on_cudasim = lambda reason: lambda test: test
    try:
        if name.startswith(DOC_PREFIX):
            return importlib.import_module(f"{DOC_PACKAGE}.{name.removeprefix(DOC_PREFIX)}")
        return importlib.import_module(f"{PACKAGE}.{name}")
    finally:
        testing.skip_on_cudasim = original


class _TooSlow(Exception):
    """A documentation example ran past its deadline."""


# Seconds a documentation example may run. numba's simulator deadlocks on a grid sync (it runs
# one block at a time), so its deadline turns that hang into an error; cudalike's is generous:
# the 3D random example fills 450 million elements.
DOC_EXAMPLE_SECONDS = {"simulator": 120, "cudalike": 900}


def _run_with_deadline(
    suite: unittest.TestSuite, collector: unittest.TestResult, seconds: int
) -> None:
    """Run each test of `suite` with an alarm, so a test that hangs becomes an error."""

    def on_alarm(signum, frame) -> None:
        raise _TooSlow(f"did not finish in {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    try:
        for test in _flatten(suite):
            signal.alarm(seconds)
            try:
                test.run(collector)
            finally:
                signal.alarm(0)
    finally:
        signal.signal(signal.SIGALRM, previous)


def _flatten(suite: unittest.TestSuite):
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            yield from _flatten(test)
        else:
            yield test


def _load(loader: unittest.TestLoader, module: types.ModuleType) -> unittest.TestSuite:
    """The module's TestCase tests, and its module-level `test_*` functions (pytest style)."""
    suite = loader.loadTestsFromModule(module)
    for name, value in sorted(vars(module).items()):
        if name.startswith("test_") and isinstance(value, types.FunctionType):
            if value.__module__ == module.__name__:
                suite.addTest(unittest.FunctionTestCase(value))
    return suite


# Installs drop-in mode at start-up. Those tests run `python -c SCRIPT`, whose text Python keeps
# nowhere; cudalike compiles kernels from source, so the script is put in linecache (Linux's
# /proc/self/cmdline holds it) under the file name "<string>" its functions carry.
_SITECUSTOMIZE = """\
import linecache
import sys

import cudalike

cudalike.install()
if sys.argv[:1] == ["-c"]:
    with open("/proc/self/cmdline", "rb") as cmdline:
        arguments = cmdline.read().decode().split("\\0")
    script = arguments[arguments.index("-c") + 1]
    linecache.cache["<string>"] = (len(script), None, script.splitlines(True), "<string>")
"""


def _install_in_child_processes() -> None:
    """Tests that run a script in a new Python (test_print) get cudalike there too.

    Without this the script runs under numba's simulator, whose threads interleave the pieces
    of concurrent prints, so those tests passed or failed by timing.
    """
    folder = Path(tempfile.mkdtemp(prefix="cudalike-dropin-"))
    (folder / "sitecustomize.py").write_text(_SITECUSTOMIZE)
    paths = [str(folder), *filter(None, [os.environ.get("PYTHONPATH")])]
    os.environ["PYTHONPATH"] = os.pathsep.join(paths)


def run(mode: str, modules: list[str]) -> dict:
    """Import and run `modules` under `mode`; return outcomes and seconds per module."""
    os.environ["NUMBA_ENABLE_CUDASIM"] = "1"
    _stub_filecheck()
    import numba.cuda
    import numba.cuda.testing  # noqa: F401 - imported before drop-in, as numba-cuda itself

    if mode == "cudalike":
        import cudalike

        cudalike.install()
        _install_in_child_processes()
    for name, folder in ((PACKAGE, cudapy_folder()), (DOC_PACKAGE, doc_examples_folder())):
        package = types.ModuleType(name)
        package.__path__ = [str(folder)]
        sys.modules[name] = package
    outcomes: dict[str, dict] = {}
    seconds: dict[str, float] = {}
    launches: dict[str, dict[str, int]] = {}
    loader = unittest.TestLoader()
    for name in modules:
        start = time.perf_counter()
        try:
            if _lifts_simulator_skip(name):
                module = _import_without_simulator_skip(name)
            else:
                module = importlib.import_module(f"{PACKAGE}.{name}")
            suite = _load(loader, module)
        except (Exception, *_Skipped) as error:  # the module does not import, or skips itself
            outcomes[f"{name} (import)"] = {
                "outcome": "skip" if isinstance(error, _Skipped) else "error",
                "why": _why((None, error, None)),
            }
            seconds[name] = time.perf_counter() - start
            continue
        collector = Collector()
        before = _launch_outcomes(mode)
        if _lifts_simulator_skip(name):
            _run_with_deadline(suite, collector, DOC_EXAMPLE_SECONDS[mode])
        else:
            suite.run(collector)
        outcomes.update(collector.outcomes)
        seconds[name] = time.perf_counter() - start
        launches[name] = dict(_launch_outcomes(mode) - before)
    return {"mode": mode, "outcomes": outcomes, "seconds": seconds, "launches": launches}


def _launch_outcomes(mode: str) -> collections.Counter:
    """How cudalike's launches went so far in this process (nothing under the simulator)."""
    if mode != "cudalike":
        return collections.Counter()
    from cudalike.simt.compiled import launcher

    return collections.Counter(launcher.outcomes)


def main(argv: list[str]) -> None:
    mode, output, *modules = argv
    if mode not in ("simulator", "cudalike"):
        raise SystemExit(f"mode must be simulator or cudalike, not {mode!r}")
    result = run(mode, modules)
    Path(output).write_text(json.dumps(result, indent=1, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1:])
