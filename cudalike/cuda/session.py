"""numba.cuda's profiler and memory-manager controls, accepted so that programs using them run.

`cuda.profile_start()` / `cuda.profile_stop()` / `with cuda.profiling():` mark a range for an
external GPU profiler (nvprof, Nsight), and `with cuda.defer_cleanup():` delays freeing device
memory. cudalike has neither an external profiler to tell nor device memory to free: they do
nothing. cudalike's own profiler is `cudalike.profiler` (docs/model.md).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


def profile_start() -> None:
    """Start an external profiler's capture range (nothing to start on cudalike)."""


def profile_stop() -> None:
    """Stop an external profiler's capture range (nothing to stop on cudalike)."""


@contextlib.contextmanager
def profiling() -> Iterator[None]:
    """`profile_start()` on entry and `profile_stop()` on exit."""
    profile_start()
    try:
        yield
    finally:
        profile_stop()


@contextlib.contextmanager
def defer_cleanup() -> Iterator[None]:
    """Delay freeing device memory inside the block (cudalike frees nothing early anyway)."""
    yield
