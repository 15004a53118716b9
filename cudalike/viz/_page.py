"""Static HTML of a profile: an overview of the launches, then one panel set per launch.

This is the display that works everywhere (nbconvert, CI logs saved as files, a browser):
plain HTML with inline styles and the roofline chart as an inline PNG (`data:` URI).
The notebook view in `_notebook.py` reuses the same pieces.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cudalike.viz import _style
from cudalike.viz._inputs import as_launches, dims, format_time_us, metric
from cudalike.viz._panels import header_html, limits_html, occupancy_html, speed_of_light_html
from cudalike.viz._pipes import is_pipe_record, pipe_html
from cudalike.viz._source import source_html

if TYPE_CHECKING:
    from cudalike.model.records import LaunchRecord

CONTAINER = (
    f"{_style.FONT};color:{_style.TEXT};background:#ffffff;border:1px solid {_style.RULE};"
    "border-radius:4px;padding:10px 12px;margin:0 0 12px 0;max-width:1100px;line-height:1.35"
)


def top_html(launch: LaunchRecord) -> str:
    """Header, speed-of-light bars, resource limits and occupancy of one launch."""
    panels = speed_of_light_html(launch) + limits_html(launch) + occupancy_html(launch)
    return header_html(launch) + f'<div style="max-width:560px">{panels}</div>'


def png_data_uri(png: bytes) -> str:
    """A PNG as a `data:` URI, for an `<img src=...>` that needs no file beside the page."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def roofline_img(launch: LaunchRecord, png: bytes | None = None) -> str:
    """The roofline chart as an `<img>` tag with an inline PNG."""
    if png is None:
        from cudalike.viz._roofline import roofline_png

        png = roofline_png(launch)
    alt = html.escape(f"roofline chart of {launch.kernel_name}", quote=True)
    return f'<img src="{png_data_uri(png)}" alt="{alt}" style="max-width:100%;height:auto">'


def launch_html(launch: LaunchRecord, *, color_by: str = "time_share", worst: int = 3) -> str:
    """Everything about one launch: panels and roofline side by side, then the source.

    Args:
        launch: the launch record.
        color_by: the metric coloring the source's heat strip (see `_source.COLUMNS`).
        worst: how many lines to highlight by time share.

    Returns:
        An HTML fragment (one `<div>`).
    """
    if is_pipe_record(launch):  # a CANN launch: pipe Gantt and utilisation instead
        return f'<div style="{CONTAINER}">{pipe_html(launch)}</div>'
    row = (
        '<div style="display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start">'
        f'<div style="flex:1 1 420px">{top_html(launch)}</div>'
        f'<div style="flex:0 1 600px;padding-top:8px">{roofline_img(launch)}</div></div>'
    )
    source = source_html(launch, color_by=color_by, worst=worst)
    kernel = html.escape(launch.kernel_name, quote=True)
    return f'<div style="{CONTAINER}" data-kernel="{kernel}">{row}{source}</div>'


def overview_html(launches: list[LaunchRecord]) -> str:
    """One row per launch: shape, modelled time (with a bar), bound, speed of light, occupancy."""
    longest = max((launch.time_us for launch in launches), default=0.0) or 1.0
    titles = ["#", "kernel", "grid &times; block", "modelled time", "bound", "compute %",
              "memory %", "occupancy %"]  # fmt: skip
    cell = f"{_style.TD};border-bottom:1px solid #eeeeee"
    head = "".join(f'<th style="{cell};text-align:left">{title}</th>' for title in titles)
    rows = [f'<tr style="{_style.ROW};color:{_style.MUTED};font-size:11px">{head}</tr>']
    for index, launch in enumerate(launches):
        pipes = is_pipe_record(launch)
        shape = (
            f"{launch.num_blocks} block(s)"
            if pipes
            else f"{dims(launch.griddim)} &times; {dims(launch.blockdim)}"
        )
        time_bar = _style.bar(launch.time_us / longest, _style.ACCENT, width_px=90, height_px=9)
        compute = metric(launch, "sm__throughput.avg.pct_of_peak_sustained_elapsed")
        memory = metric(launch, "gpu__compute_memory_throughput.avg.pct_of_peak_sustained_elapsed")
        occupancy = 0.0 if pipes else float(launch.occupancy.get("occupancy_pct", 0.0))
        cells = [
            str(index),
            f'<span style="{_style.MONO}">{html.escape(launch.kernel_name)}</span>',
            shape,
            f"{time_bar} {format_time_us(launch.time_us)}",
            html.escape(str(launch.bound)),
            f"{compute:.1f}",
            f"{memory:.1f}",
            f"{occupancy:.1f}",
        ]
        rows.append(
            f'<tr style="{_style.ROW}">'
            + "".join(f'<td style="{cell}">{text}</td>' for text in cells)
            + "</tr>"
        )
    table = f'<table style="{_style.TABLE}">{"".join(rows)}</table>'
    body = f'<div style="{CONTAINER}">{_style.section("Launches", table)}</div>'
    return body


def to_html(profile_or_records: Any, *, color_by: str = "time_share", worst: int = 3) -> str:
    """Render a profile as self-contained HTML (no files, no scripts, inline PNG charts).

    Args:
        profile_or_records: a profile (`prof` of `with profiler.profile() as prof:`), a list
            of launch records or one launch record.
        color_by: the metric coloring the source lines: "time_share", "sectors_per_request",
            "bank_conflicts", "divergent_branches" or "warp_instructions".
        worst: how many lines per launch to highlight by share of modelled time.

    Returns:
        An HTML fragment: an overview table when there are several launches, then one
        block per launch.

    Example:
        >>> from cudalike import viz
        >>> page = viz.to_html(prof)  # doctest: +SKIP
    """
    launches = as_launches(profile_or_records)
    if not launches:
        return f'<div style="{CONTAINER}">no kernel launches were profiled</div>'
    parts = [overview_html(launches)] if len(launches) > 1 else []
    parts += [launch_html(launch, color_by=color_by, worst=worst) for launch in launches]
    return '<div class="cudalike-viz">' + "".join(parts) + "</div>"


def save_html(profile_or_records: Any, path: str | Path, **options: Any) -> Path:
    """Write `to_html(profile_or_records)` as a complete HTML page.

    Args:
        profile_or_records: as for `to_html`.
        path: the file to write (overwritten).
        **options: `color_by` and `worst`, as for `to_html`.

    Returns:
        The path written.

    Example:
        >>> viz.save_html(prof, "transpose.html")  # doctest: +SKIP
    """
    path = Path(path)
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>cudalike profile</title></head>\n<body>\n"
        + to_html(profile_or_records, **options)
        + "\n</body></html>\n"
    )
    path.write_text(page, encoding="utf-8")
    return path
