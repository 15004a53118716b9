"""The kernel's source annotated line by line, as an HTML table.

Columns, per `LineRecord`: a heat strip (colored by one chosen metric), line number, source,
share of modelled time (a small bar), global sectors per request, shared-memory bank
conflicts, % of branch evaluations that diverged, warp instructions. The lines with the
largest time share are highlighted and ranked; lines where the model counted no work
(comments, the `def` line) are dimmed.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from cudalike.viz import _style
from cudalike.viz._inputs import format_count, line_has_counters

if TYPE_CHECKING:
    from cudalike.model.records import LaunchRecord, LineRecord


def time_share(line: LineRecord) -> float | None:
    """Share of the launch's modelled time spent on the line, in % (None when 0)."""
    return line.time_share * 100 if line.time_share else None


def sectors_per_request(line: LineRecord) -> float | None:
    """Global 32-byte sectors per load/store request: 4 is ideal for floats, 32 the worst."""
    counters = line.counters
    requests = counters.get("global_load_requests", 0) + counters.get("global_store_requests", 0)
    sectors = counters.get("global_load_sectors", 0) + counters.get("global_store_sectors", 0)
    return sectors / requests if requests else None


def bank_conflicts(line: LineRecord) -> float | None:
    """Shared-memory wavefronts beyond one per request (None when the line has no shared access)."""
    counters = line.counters
    shared = counters.get("shared_load_requests", 0) + counters.get("shared_store_requests", 0)
    return counters.get("bank_conflicts", 0) if shared else None


def divergent_percent(line: LineRecord) -> float | None:
    """% of the line's warp-level branch evaluations whose active lanes went both ways."""
    branches = line.counters.get("branches", 0)
    return line.counters.get("divergent_branches", 0) / branches * 100 if branches else None


def warp_instructions(line: LineRecord) -> float | None:
    """Warp instructions issued for the line (None when none)."""
    return line.counters.get("warp_instructions", 0) or None


# name -> (column title, value function, fixed scale for the heat strip or None for "vs max").
COLUMNS: dict[str, tuple[str, Callable[[LineRecord], float | None], float | None]] = {
    "time_share": ("time share", time_share, None),
    "sectors_per_request": ("sectors/req", sectors_per_request, 32.0),
    "bank_conflicts": ("bank conflicts", bank_conflicts, None),
    "divergent_branches": ("divergent %", divergent_percent, 100.0),
    "warp_instructions": ("warp instr.", warp_instructions, None),
}

# Choices offered to color the source by (dropdown label -> column name).
COLOR_CHOICES = {
    "time share": "time_share",
    "global sectors per request": "sectors_per_request",
    "shared bank conflicts": "bank_conflicts",
    "divergent branches": "divergent_branches",
    "warp instructions": "warp_instructions",
}

CELL = f"{_style.TD};border-bottom:1px solid #f0f0f0"


def worst_lines(launch: LaunchRecord, count: int = 3) -> dict[int, int]:
    """Index in `launch.lines` -> rank (1 = worst) of the `count` lines with most time share.

    Example:
        >>> worst_lines(record, 2)  # doctest: +SKIP
        {7: 1, 4: 2}
    """
    candidates = [index for index, line in enumerate(launch.lines) if line.time_share > 0]
    ordered = sorted(candidates, key=lambda index: -launch.lines[index].time_share)
    return {index: rank for rank, index in enumerate(ordered[:count], start=1)}


def source_html(launch: LaunchRecord, *, color_by: str = "time_share", worst: int = 3) -> str:
    """The annotated source table of one launch.

    Args:
        launch: the launch record.
        color_by: the column (a key of `COLUMNS`) whose value colors the heat strip.
        worst: how many lines (by time share) to highlight.

    Returns:
        An HTML fragment.

    Raises:
        ValueError: when `color_by` is not a key of `COLUMNS`.
    """
    if color_by not in COLUMNS:
        raise ValueError(f"color_by must be one of {sorted(COLUMNS)}; got {color_by!r}")
    if not launch.lines:
        return _style.section("Source", "<div>no per-line counters in this record</div>")
    values = [{name: column[1](line) for name, column in COLUMNS.items()} for line in launch.lines]
    scale = COLUMNS[color_by][2] or max((row[color_by] or 0 for row in values), default=0) or 1
    ranks = worst_lines(launch, worst)
    files = {line.filename for line in launch.lines}
    rows = [_header_row(color_by)]
    previous_file = None
    for index, line in enumerate(launch.lines):
        if len(files) > 1 and line.filename != previous_file:
            rows.append(_file_row(line.filename))
        previous_file = line.filename
        heat = (values[index][color_by] or 0) / scale
        rows.append(_line_row(line, values[index], heat, ranks.get(index)))
    table = f'<table style="{_style.TABLE};{_style.FONT}">{"".join(rows)}</table>'
    title = "Source" if len(files) > 1 else f"Source: {launch.lines[0].filename}"
    return _style.section(title, table + _legend(color_by, len(ranks)))


def _header_row(color_by: str) -> str:
    """Column titles; the one coloring the strip is underlined."""
    cells = [f'<th style="{CELL}"></th>', f'<th style="{CELL};text-align:right">line</th>']
    cells.append(f'<th style="{CELL};text-align:left">source</th>')
    for name, (title, _, _) in COLUMNS.items():
        underline = f";border-bottom:2px solid {_style.POOR}" if name == color_by else ""
        cells.append(
            f'<th style="{CELL};text-align:right;white-space:nowrap{underline}">{title}</th>'
        )
    return f'<tr style="{_style.ROW};color:{_style.MUTED};font-size:11px">{"".join(cells)}</tr>'


def _file_row(filename: str) -> str:
    """A separator naming the file of the lines below (kernel and device functions)."""
    span = 3 + len(COLUMNS)
    return (
        f'<tr style="{_style.ROW}">'
        f'<td colspan="{span}" style="{CELL};color:{_style.MUTED};font-style:italic">'
        f"{html.escape(filename)}</td></tr>"
    )


def _line_row(line: LineRecord, values: dict, heat: float, rank: int | None) -> str:
    """One source line with its counters."""
    dim = not line_has_counters(line)
    row_style = "color:#aaaaaa" if dim else f"color:{_style.TEXT}"
    background = _style.HIGHLIGHT if rank is not None else "#ffffff"
    row_style += f";background:{background}"
    number = str(line.line)
    if rank is not None:
        number = f"{_style.badge(f'#{rank}', _style.POOR)} {number}"
    strip = f'<td style="{_style.TD};width:6px;padding:0;background:{_style.heat(heat)}"></td>'
    source = html.escape(line.source.rstrip())
    cells = [
        strip,
        f'<td style="{CELL};text-align:right;{_style.MONO};white-space:nowrap">{number}</td>',
        f'<td style="{CELL};{_style.MONO};white-space:pre">{source}</td>',
        f'<td style="{CELL};text-align:right;white-space:nowrap">{_share_cell(values)}</td>',
        _sectors_cell(line, values["sectors_per_request"]),
        _number_cell(values["bank_conflicts"], "", None),
        _number_cell(values["divergent_branches"], _branch_title(line), "{:.0f} %"),
        _number_cell(values["warp_instructions"], _thread_title(line), None),
    ]
    attributes = f'data-line="{line.line}" data-worst-rank="{rank or 0}" data-dim="{int(dim)}"'
    return f'<tr {attributes} style="{row_style}">{"".join(cells)}</tr>'


def _share_cell(values: dict) -> str:
    """Time share as a small bar and a percentage."""
    share = values["time_share"]
    if share is None:
        return ""
    little_bar = _style.bar(share / 100, _style.POOR, width_px=50, height_px=8)
    return f"{little_bar} {share:.1f} %"


def _number_cell(value: float | None, title: str, pattern: str | None) -> str:
    """A right-aligned counter (blank when the line has nothing to count)."""
    if value is None:
        text = ""
    elif pattern is None:
        text = format_count(value)
    else:
        text = pattern.format(value)
    title_attribute = f' title="{html.escape(title)}"' if title and value is not None else ""
    return f'<td style="{CELL};text-align:right;white-space:nowrap"{title_attribute}>{text}</td>'


def _sectors_cell(line: LineRecord, value: float | None) -> str:
    """Sectors per request; when a line both loads and stores, each side is shown too.

    `b[x, y] = a[y, x]` reads coalesced (4) and writes strided (32): the average alone (18)
    would hide which side to fix.
    """
    counters = line.counters
    load_requests = counters.get("global_load_requests", 0)
    store_requests = counters.get("global_store_requests", 0)
    requests = load_requests + store_requests
    sectors = counters.get("global_load_sectors", 0) + counters.get("global_store_sectors", 0)
    title = f"{format_count(requests)} requests, {format_count(sectors)} sectors"
    cell = _number_cell(value, title, "{:.1f}")
    if not (load_requests and store_requests):
        return cell
    load = counters.get("global_load_sectors", 0) / load_requests
    store = counters.get("global_store_sectors", 0) / store_requests
    detail = (
        f' <span style="color:{_style.MUTED};font-size:11px">(ld {load:.3g}, st {store:.3g})</span>'
    )
    return cell.replace("</td>", detail + "</td>")


def _branch_title(line: LineRecord) -> str:
    """Tooltip: divergent branch evaluations out of all."""
    counters = line.counters
    divergent = format_count(counters.get("divergent_branches", 0))
    return f"{divergent} of {format_count(counters.get('branches', 0))} warp branches diverged"


def _thread_title(line: LineRecord) -> str:
    """Tooltip: warp execution efficiency of the line."""
    warps = line.counters.get("warp_instructions", 0)
    threads = line.counters.get("thread_instructions", 0)
    if not warps:
        return ""
    return f"{threads / (32 * warps) * 100:.0f} % of lanes active (warp execution efficiency)"


def _legend(color_by: str, highlighted: int) -> str:
    """How to read the table."""
    title = COLUMNS[color_by][0]
    parts = [f"strip at left: {title} (darker = more)"]
    if highlighted:
        lines = "line" if highlighted == 1 else f"{highlighted} lines"
        parts.append(f"highlighted: the {lines} with most modelled time")
    parts.append("dimmed: no work counted")
    parts.append("sectors/req: 4 is ideal for 4-byte words, 32 the worst")
    return (
        f'<div style="color:{_style.MUTED};font-size:11px;margin-top:3px">'
        + " &middot; ".join(parts)
        + "</div>"
    )
