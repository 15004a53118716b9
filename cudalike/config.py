"""The one configuration object of cudalike, read from the environment once and changed by scope.

Options live in a frozen dataclass; `override(...)` changes them for a `with` block and
`use(backend)` switches the backend for the rest of the session. Environment variables are
read here and nowhere else.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Iterator
from typing import Literal

Backend = Literal["cudalike", "numba-cuda"]
BACKENDS = ("cudalike", "numba-cuda")
Tier = Literal["auto", "vector", "compiled"]
TIERS = ("auto", "vector", "compiled")
LANGUAGES = ("en", "zh")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Config:
    """Options of the runtime.

    Attributes:
        backend: "cudalike" runs kernels on the CPU engine; "numba-cuda" hands them to
            numba.cuda (a real NVIDIA GPU, or numba's simulator when NUMBA_ENABLE_CUDASIM=1).
            Default "cudalike"; environment variable CUDALIKE_BACKEND.
        checks: bounds, race, barrier and uninitialised-read checks. Default True;
            environment variable CUDALIKE_CHECKS=0 turns them off.
        max_lanes: most threads run side by side in one vector step (blocks are grouped into
            chunks of at most this many threads). Default 2**20.
        loop_budget: most iterations any one loop may run in a launch before it is reported
            as endless. Default 10_000_000.
        time_budget_s: most wall-clock seconds a launch may spend before a `while` loop still
            running is reported as endless (a `for` over range() always ends, so only
            loop_budget applies to it, however slow a profiled launch is). Default 120.
        device: name of the modelled device profile. Default "H100".
        tier: how the CPU engine runs a launch: "vector" (numpy over all threads of a chunk),
            "compiled" (the kernel compiled with numba for the CPU, when it is in the compiled
            subset) or "auto" (compiled when the launch is expected to be heavy). Default
            "auto"; environment variable CUDALIKE_TIER.
        language: the language of the grader's feedback and of the CANN runtime's error
            messages: "en" or "zh" (Simplified Chinese). Default "en"; environment variable
            CUDALIKE_LANG (a locale such as zh_CN.UTF-8 works too).
        cache_dir: the folder the compiled tier writes its generated modules (and numba
            their machine code) to; None: a folder under the temporary directory. Environment
            variable CUDALIKE_CACHE_DIR.
    """

    backend: Backend = "cudalike"
    checks: bool = True
    max_lanes: int = 2**20
    loop_budget: int = 10_000_000
    time_budget_s: float = 120.0
    device: str = "H100"
    tier: Tier = "auto"
    language: str = "en"
    cache_dir: str | None = None

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise ValueError(f"unknown backend {self.backend!r}; choose one of {BACKENDS}")
        if self.language not in LANGUAGES:
            raise ValueError(f"unknown language {self.language!r}; choose one of {LANGUAGES}")
        if self.tier not in TIERS:
            raise ValueError(f"unknown tier {self.tier!r}; choose one of {TIERS}")
        for name in ("max_lanes", "loop_budget"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"config.{name} must be a positive integer")
        if self.time_budget_s <= 0:
            raise ValueError("config.time_budget_s must be positive")


def _from_environment() -> Config:
    options: dict = {}
    if "CUDALIKE_BACKEND" in os.environ:
        options["backend"] = os.environ["CUDALIKE_BACKEND"]
    if "CUDALIKE_CHECKS" in os.environ:
        options["checks"] = os.environ["CUDALIKE_CHECKS"].strip().lower() not in (
            "0",
            "false",
            "no",
            "off",
        )
    if "CUDALIKE_DEVICE" in os.environ:
        options["device"] = os.environ["CUDALIKE_DEVICE"]
    if "CUDALIKE_LANG" in os.environ:
        options["language"] = os.environ["CUDALIKE_LANG"].strip().lower()[:2] or "en"
    if "CUDALIKE_TIER" in os.environ:
        options["tier"] = os.environ["CUDALIKE_TIER"].strip().lower()
    if os.environ.get("CUDALIKE_CACHE_DIR"):
        options["cache_dir"] = os.environ["CUDALIKE_CACHE_DIR"]
    return Config(**options)


_current = _from_environment()


def get() -> Config:
    """Return the configuration in force."""
    return _current


@contextlib.contextmanager
def override(**options) -> Iterator[Config]:
    """Change options for the duration of a `with` block.

    Example:
        >>> with override(checks=False):
        ...     pass
    """
    global _current
    saved = _current
    _current = dataclasses.replace(saved, **options)
    try:
        yield _current
    finally:
        _current = saved


def use(backend: Backend) -> None:
    """Switch the backend for the rest of the session ("cudalike" or "numba-cuda")."""
    global _current
    _current = dataclasses.replace(_current, backend=backend)
