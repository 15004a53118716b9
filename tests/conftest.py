"""Session-wide test setup: a temporary home for every test, and the parallel run's groups.

Tests grade submissions (which records progress), start Jupyter kernels and import libraries
that cache into the home directory. Pointing HOME, the XDG directories, Jupyter's and
IPython's directories and cudalike's data directory at a temporary folder for the whole
session keeps `~/.local/share/cudalike/progress.json` and the learner's Jupyter settings
untouched, and makes the tests independent of whatever that home holds. Child processes
(nbclient kernels, the grading sandbox) inherit the environment. Under pytest-xdist each worker
is its own session, so each gets its own home.

`make test` spreads the test files over pytest-xdist workers; files that must share one worker
are grouped here (see `worker_scope`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

# The variables set, each relative to the temporary home.
HOME_VARIABLES = {
    "HOME": ".",
    "XDG_DATA_HOME": ".local/share",
    "XDG_CONFIG_HOME": ".config",
    "XDG_CACHE_HOME": ".cache",
    "JUPYTER_CONFIG_DIR": ".jupyter",
    "JUPYTER_DATA_DIR": ".local/share/jupyter",
    "JUPYTER_RUNTIME_DIR": ".local/share/jupyter/runtime",
    "IPYTHONDIR": ".ipython",
    "CUDALIKE_DATA_DIR": ".local/share/cudalike",
}


# Under pytest-xdist (`make test`) each test file runs on one worker, so that a module's
# fixtures (the hostile corpus graded once, a wheel built, one JupyterLab and Chromium for the
# browser tests) are built once. Files listed here also share one worker with each other, by
# group name: the hostile corpus and the hostile class grade attacks that leave marker files in
# /tmp, HOME and the repository, and marked processes; their checks look for those
# machine-wide and `clean()` removes them all, so two of these running at once would blame or
# erase each other's.
SHARED_WORKER_GROUPS = {
    "tests/autograder/integrity/test_corpus.py": "hostile-corpus",
    "tests/autograder/integrity/test_hostile_class.py": "hostile-corpus",
}


def worker_scope(nodeid: str) -> str:
    """What runs on one worker with the test `nodeid`: its file, or its file's group."""
    path = nodeid.split("::", 1)[0]
    return SHARED_WORKER_GROUPS.get(path, path)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """xdist's scheduler by scope (largest first), with `worker_scope` as the scope.

    xdist's own --dist loadgroup cannot be used: with pytest 9 the group it writes into a
    test's id is lost (pytest-xdist 3.8 sets `item._nodeid`, which pytest 9 no longer reads).
    """
    from xdist.scheduler import LoadScopeScheduling

    class SharedWorkerScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return worker_scope(nodeid)

    return SharedWorkerScheduling(config, log)


@pytest.fixture(scope="session", autouse=True)
def temporary_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh home for the session; the environment is restored afterwards."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        for name, relative in HOME_VARIABLES.items():
            path = home / relative
            path.mkdir(parents=True, exist_ok=True)
            patch.setenv(name, str(path))
        yield home


@pytest.fixture(autouse=True)
def stopped_stream_clocks() -> Iterator[None]:
    """Each test starts with the default streams' modelled clocks stopped.

    Recording an event starts its stream's clock, and from then on every launch on that
    stream is modelled (and so never runs on the compiled tier); a test that records events
    must not change how the tests after it launch.
    """
    yield
    from cudalike.simt import streams

    for stream in (
        streams._DEFAULT_STREAM,
        streams._LEGACY_DEFAULT_STREAM,
        streams._PER_THREAD_DEFAULT_STREAM,
    ):
        stream._clock_us = None
