"""Input handling shared by the displays: accept what the user holds, format numbers.

`show()` and `to_html()` take a profile (anything with `.launches`), a list of launch records
or a single record; `as_launches` turns all three into a list. The number formatters keep
every panel writing counts, times and percentages the same way.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cudalike.model.records import LaunchRecord, LineRecord


def as_launches(profile_or_records: Any) -> list[LaunchRecord]:
    """Return the launch records held by a profile, a list of records or one record.

    Args:
        profile_or_records: the `prof` of `with profiler.profile() as prof:` (anything with a
            `.launches` list), an iterable of `LaunchRecord`, or one `LaunchRecord`.

    Returns:
        The launch records, in launch order.

    Raises:
        TypeError: when the argument is none of the three.

    Example:
        >>> as_launches([])
        []
    """
    if hasattr(profile_or_records, "launches"):
        launches = list(profile_or_records.launches)
    elif hasattr(profile_or_records, "kernel_name") and hasattr(profile_or_records, "lines"):
        launches = [profile_or_records]
    elif isinstance(profile_or_records, Iterable) and not isinstance(
        profile_or_records, (str, bytes, dict)
    ):
        launches = list(profile_or_records)
    else:
        raise TypeError(
            "cudalike.viz expects a profile (the `prof` of `with profiler.profile() as prof:`), "
            f"a list of launch records or one launch record; got {type(profile_or_records)!r}"
        )
    for launch in launches:
        if not hasattr(launch, "kernel_name"):
            raise TypeError(f"not a launch record: {launch!r}")
    return launches


def metric(launch: LaunchRecord, name: str, default: float = 0.0) -> float:
    """Return one Nsight-named metric of a launch as a float (`default` when absent)."""
    value = launch.metrics.get(name, default)
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def format_count(value: float) -> str:
    """Format a counter: exact below 10 000, then 3 significant digits with k, M, G, T.

    Sampled launches carry scaled (fractional) counts; they are rounded for reading.

    Example:
        >>> format_count(1234), format_count(5_600_000)
        ('1,234', '5.60M')
    """
    if not math.isfinite(value):
        return "-"
    if abs(value) < 10_000:
        return f"{round(value):,}"
    for suffix, scale in (("T", 1e12), ("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(value) >= scale:
            scaled = value / scale
            decimals = 0 if abs(scaled) >= 100 else 1 if abs(scaled) >= 10 else 2
            return f"{scaled:.{decimals}f}{suffix}"
    return f"{value:.3g}"


def format_time_us(time_us: float) -> str:
    """Format a modelled duration given in microseconds (ns, us or ms as fits).

    Example:
        >>> format_time_us(0.5), format_time_us(12.34), format_time_us(4500.0)
        ('500 ns', '12.3 us', '4.50 ms')
    """
    if time_us < 1.0:
        return f"{time_us * 1e3:.3g} ns"
    if time_us < 1000.0:
        return f"{time_us:.3g} us"
    if time_us < 1e6:
        return f"{time_us / 1e3:.3g} ms"
    return f"{time_us / 1e6:.3g} s"


def format_rate(value: float, unit: str) -> str:
    """Format a rate with an SI prefix, e.g. `format_rate(3.35e12, "B/s")` -> '3.35 TB/s'."""
    for prefix, scale in (("P", 1e15), ("T", 1e12), ("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(value) >= scale:
            return f"{value / scale:.3g} {prefix}{unit}"
    return f"{value:.3g} {unit}"


def line_has_counters(line: LineRecord) -> bool:
    """True when the model attributed any work to the line (comments and `def` have none)."""
    return any(value for value in line.counters.values())


def total_blocks(launch: LaunchRecord) -> int:
    """Number of blocks in the launch's grid."""
    return math.prod(int(size) for size in launch.griddim)


def dims(triple: tuple[int, int, int]) -> str:
    """Write a (x, y, z) triple as CUDA people say it: '(64, 64)' drops a trailing z of 1."""
    sizes = list(triple)
    while len(sizes) > 1 and sizes[-1] == 1:
        sizes.pop()
    return "(" + ", ".join(str(size) for size in sizes) + ")" if len(sizes) > 1 else str(sizes[0])
