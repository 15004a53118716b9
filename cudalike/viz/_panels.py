"""HTML panels of one launch: header, resource limits, speed of light, occupancy.

Each function takes a `LaunchRecord` and returns an HTML fragment; `_page.py` puts them
together with the roofline chart and the annotated source.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING

from cudalike.model.records import BOUND_HINTS
from cudalike.viz import _style
from cudalike.viz._inputs import dims, format_time_us, metric, total_blocks

if TYPE_CHECKING:
    from cudalike.model.records import LaunchRecord

SPEED_OF_LIGHT = (
    ("Compute (SM) throughput", "sm__throughput.avg.pct_of_peak_sustained_elapsed"),
    ("Memory throughput", "gpu__compute_memory_throughput.avg.pct_of_peak_sustained_elapsed"),
)

# (occupancy key, Nsight metric, label) for the four per-SM limits, in Nsight's order.
OCCUPANCY_LIMITS = (
    ("limit_registers", "launch__occupancy_limit_registers", "registers"),
    ("limit_shared_mem", "launch__occupancy_limit_shared_mem", "shared memory"),
    ("limit_warps", "launch__occupancy_limit_warps", "warps (threads per block)"),
    ("limit_blocks", "launch__occupancy_limit_blocks", "blocks (hardware maximum)"),
)

# Other spellings of the limiter the model might use, mapped to the occupancy key.
LIMITER_NAMES = {
    "registers": "limit_registers",
    "regs": "limit_registers",
    "shared_mem": "limit_shared_mem",
    "shared": "limit_shared_mem",
    "shared_memory": "limit_shared_mem",
    "smem": "limit_shared_mem",
    "warps": "limit_warps",
    "threads": "limit_warps",
    "blocks": "limit_blocks",
}

# A limit this large means "does not limit" (e.g. shared memory when the kernel uses none).
NO_LIMIT = 1e6


def header_html(launch: LaunchRecord) -> str:
    """Kernel name, launch shape, device, modelled time and bound; notes a sampled run."""
    name = html.escape(launch.kernel_name)
    shape = f"grid {dims(launch.griddim)} &times; block {dims(launch.blockdim)}"
    bound = str(launch.bound)
    hint = BOUND_HINTS.get(bound, "")
    lines = [
        f'<div style="font-size:16px;font-weight:bold;{_style.MONO};font-size:15px">{name}</div>',
        f'<div style="color:{_style.MUTED}">{shape} &middot; {html.escape(launch.device)}</div>',
        f'<div style="margin-top:4px">modelled time <b>{format_time_us(launch.time_us)}</b>'
        f" &middot; bound by {_style.badge(bound, _style.POOR)}"
        f' <span style="color:{_style.MUTED}">{html.escape(hint)}</span></div>',
    ]
    if launch.sampled_blocks is not None:
        lines.append(
            f'<div style="margin-top:2px;color:{_style.ACCENT}" data-sampled="1">'
            f"sampled {launch.sampled_blocks:,} blocks of {total_blocks(launch):,} and scaled "
            "up: counters and time are extrapolated to the whole grid</div>"
        )
    return "".join(lines)


def limits_html(launch: LaunchRecord) -> str:
    """Bars of the time each resource alone would need; the longest is the bound."""
    limits = {key: float(value) for key, value in launch.limits_us.items()}
    longest = max(limits.values(), default=0.0) or 1.0
    rows = []
    for resource, time_us in sorted(limits.items(), key=lambda item: -item[1]):
        is_bound = resource == launch.bound
        color = _style.POOR if is_bound else "#9fb7cc"
        weight = "bold" if is_bound else "normal"
        rows.append(
            f'<tr style="{_style.ROW};font-weight:{weight}"><td style="{_style.TD}">'
            f"{html.escape(resource)}</td>"
            f'<td style="{_style.TD}">{_style.bar(time_us / longest, color, 160, 10)}</td>'
            f'<td style="{_style.TD};text-align:right">{format_time_us(time_us)}</td></tr>'
        )
    body = f'<table style="{_style.TABLE}">{"".join(rows)}</table>'
    return _style.section("Time each resource alone would need", body)


def speed_of_light_html(launch: LaunchRecord) -> str:
    """Compute and memory throughput as % of the device's peak, as colored bars."""
    rows = []
    for label, name in SPEED_OF_LIGHT:
        percent = metric(launch, name)
        rows.append(
            f'<tr data-metric="{name}" style="{_style.ROW}"><td style="{_style.TD}">{label}</td>'
            f'<td style="{_style.TD}">{_style.bar(percent / 100, _style.level_color(percent))}</td>'
            f'<td style="{_style.TD};text-align:right;{_style.MONO}">{percent:.1f} %</td>'
            "</tr>"
        )
    body = f'<table style="{_style.TABLE}">{"".join(rows)}</table>'
    note = (
        f'<div style="color:{_style.MUTED};font-size:11px">% of peak of the busiest unit; '
        "below 60 % on both bars the kernel is limited by latency, not by a unit</div>"
    )
    return _style.section("GPU speed of light", body + note)


def occupancy_html(launch: LaunchRecord) -> str:
    """Blocks per SM allowed by each limit, the limiter highlighted, occupancy and waves."""
    limits = {key: _limit(launch, key, name) for key, name, _ in OCCUPANCY_LIMITS}
    limiter = _limiter(launch, limits)
    # Bars are drawn against the hardware's resident-block limit: a full bar does not limit.
    widest = limits["limit_blocks"]
    if not 0 < widest < NO_LIMIT:
        widest = max((value for value in limits.values() if value < NO_LIMIT), default=1.0)
    rows = []
    for key, _, label in OCCUPANCY_LIMITS:
        value = limits[key]
        is_limiter = key == limiter
        shown = "no limit" if value >= NO_LIMIT else f"{value:g}"
        fraction = min(value / widest, 1.0) if widest else 1.0
        color = _style.POOR if is_limiter else "#9fb7cc"
        style = f"background:{_style.HIGHLIGHT};font-weight:bold" if is_limiter else _style.ROW
        mark = " &larr; limiter" if is_limiter else ""
        rows.append(
            f'<tr style="{style}" data-limit="{key}" data-limiter="{int(is_limiter)}">'
            f'<td style="{_style.TD};white-space:nowrap">{label}</td>'
            f'<td style="{_style.TD}">{_style.bar(fraction, color, 140, 10)}</td>'
            f'<td style="{_style.TD};text-align:right;white-space:nowrap">{shown}</td>'
            f'<td style="{_style.TD};color:{_style.MUTED};font-weight:normal;white-space:nowrap">'
            f"{_limit_detail(launch, key)}"
            f"{mark}</td></tr>"
        )
    head = (
        f'<tr style="{_style.ROW};color:{_style.MUTED};font-size:11px">'
        f'<td style="{_style.TD}">limit</td><td style="{_style.TD}"></td>'
        f'<td style="{_style.TD}">blocks/SM</td><td style="{_style.TD}"></td></tr>'
    )
    table = f'<table style="{_style.TABLE}">{head}{"".join(rows)}</table>'
    return _style.section("Occupancy", table + _occupancy_summary(launch, limits, limiter))


def _limit(launch: LaunchRecord, key: str, metric_name: str) -> float:
    """One per-SM block limit, from the occupancy dict or else the Nsight metric."""
    value = launch.occupancy.get(key)
    if value is None:
        value = launch.metrics.get(metric_name, math.inf)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return math.inf
    return number if math.isfinite(number) else math.inf


def _limiter(launch: LaunchRecord, limits: dict[str, float]) -> str:
    """The occupancy key of the limiting factor (as the model named it, else the smallest)."""
    named = str(launch.occupancy.get("limiter", "")).lower().removeprefix("limit_")
    key = LIMITER_NAMES.get(named.replace(" ", "_"))
    if key in limits:
        return key
    return min(limits, key=lambda name: limits[name])


def _limit_detail(launch: LaunchRecord, key: str) -> str:
    """What a limit comes from, in the learner's terms."""
    threads = math.prod(int(size) for size in launch.blockdim)
    if key == "limit_registers":
        registers = launch.occupancy.get("registers_per_thread")
        if registers is None:
            registers = launch.metrics.get("launch__registers_per_thread")
        return f"{registers} registers per thread" if registers is not None else ""
    if key == "limit_shared_mem":
        shared = float(launch.occupancy.get("shared_bytes_per_block", 0) or 0)
        return f"{shared / 1024:.3g} KB shared per block" if shared else "no shared memory"
    if key == "limit_warps":
        return f"{math.ceil(threads / 32)} warps per block"
    return "resident blocks per SM"


def _occupancy_summary(launch: LaunchRecord, limits: dict[str, float], limiter: str) -> str:
    """One line: blocks per SM, theoretical and achieved occupancy, waves."""
    blocks = launch.occupancy.get("blocks_per_sm", limits[limiter])
    theoretical = float(launch.occupancy.get("occupancy_pct", 0.0))
    achieved = metric(launch, "sm__warps_active.avg.pct_of_peak_sustained_active", math.nan)
    waves = launch.occupancy.get("waves", launch.metrics.get("launch__waves_per_multiprocessor"))
    parts = [
        f"{blocks:g} blocks per SM" if isinstance(blocks, (int, float)) else f"{blocks} per SM",
        f"theoretical occupancy <b>{theoretical:.1f} %</b>"
        f" {_style.bar(theoretical / 100, _style.level_color(theoretical), width_px=80)}",
    ]
    if math.isfinite(achieved):
        parts.append(f"achieved {achieved:.1f} %")
    if waves is not None:
        parts.append(f"{float(waves):.3g} waves")
        note = _waves_note(float(waves))
        if note:
            parts.append(f'<span style="color:{_style.MUTED}">({note})</span>')
    return f'<div style="margin-top:4px" data-occupancy="{theoretical:.1f}">' + (
        " &middot; ".join(parts) + "</div>"
    )


def _waves_note(waves: float) -> str:
    """Say when the number of waves wastes SMs (tail effect), else nothing."""
    if 0 < waves < 1:
        return "fewer blocks than the GPU holds at once: some SMs stay idle"
    tail = waves - math.floor(waves)
    if waves < 4 and 0 < tail <= 0.5:
        return "the last, partial wave leaves most SMs idle"
    return ""
