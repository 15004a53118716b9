"""Session-wide test setup: every test, and every process a test starts, gets a temporary home.

Tests grade submissions (which records progress), start Jupyter kernels and import libraries
that cache into the home directory. Pointing HOME, the XDG directories, Jupyter's and
IPython's directories and cudalike's data directory at a temporary folder for the whole
session keeps `~/.local/share/cudalike/progress.json` and the learner's Jupyter settings
untouched, and makes the tests independent of whatever that home holds. Child processes
(nbclient kernels, the grading sandbox) inherit the environment.
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
