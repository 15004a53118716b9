"""Which profile is collecting right now: the link between a launch and `profiler.profile()`.

The engines (simt, and later cann) ask `active()` at each launch; the profiler opens and
closes sessions. Keeping this here lets the engines report to the profiler without importing
it (imports flow viz -> profiler -> model <- simt, cann).
"""

from __future__ import annotations

import dataclasses
import numbers

from cudalike.model.profiles import DeviceProfile

AUTO = "auto"  # the default sample_blocks: sample a launch only when its work is large


class SampledLaunchWarning(UserWarning):
    """A profiled launch ran only some of its blocks: its outputs are incomplete."""


@dataclasses.dataclass
class Session:
    """One `with profiler.profile(...)` block.

    Attributes:
        profile: the device profile launches are modelled on.
        sample_blocks: run only this many blocks of a larger grid; None runs every block;
            AUTO samples a launch whose first block's work, times the grid, is large.
        sample_loops: extrapolate loops whose iterations repeat from their first iterations.
        launches: records of the launches made inside the block, in order.
    """

    profile: DeviceProfile
    sample_blocks: int | str | None = AUTO
    sample_loops: bool = True
    launches: list = dataclasses.field(default_factory=list)


_open: list[Session] = []


def check_sample_blocks(value) -> None:
    """Refuse a sample_blocks that is not "auto", None or a positive whole number."""
    if value is None or value == AUTO:
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(
            f"profile(sample_blocks={value!r}): give a number of blocks (1 or more), "
            f'"{AUTO}" (the default: sample only large launches) or None (run every block)'
        )


def active() -> Session | None:
    """The innermost open session, or None when nothing is being profiled."""
    return _open[-1] if _open else None


def open_session(session: Session) -> None:
    _open.append(session)


def close_session(session: Session) -> None:
    _open.remove(session)


def sample(blocks: int, wanted: int | None) -> list[int] | None:
    """A deterministic, evenly spread choice of `wanted` blocks out of `blocks` (None: all)."""
    if wanted is None or wanted >= blocks:
        return None
    if wanted < 1:
        raise ValueError("sample_blocks must be at least 1")
    return sorted({round(k * (blocks - 1) / max(1, wanted - 1)) for k in range(wanted)})
