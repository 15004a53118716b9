"""Display of a CANN-style launch (`PipeLaunchRecord`): pipe Gantt, utilisation, bound, lines.

- `gantt_figure(record)`: one row per pipe (S, V, M, MTE1, MTE2, MTE3, FIX) for each shown
  core, cores stacked top to bottom, each instruction a bar from its start to end cycle. The
  overlap double buffering buys shows as MTE2, V and MTE3 bars side by side.
- `pipe_html(record)`: the header with the bound, the utilisation bars under the vendor's
  names (aiv_vec_ratio, ...) and the busiest source lines, as static HTML.
matplotlib is imported inside the functions; the figure is a bare `Figure`, never pyplot.
"""

from __future__ import annotations

import html
import io
from typing import TYPE_CHECKING

from cudalike.viz import _style
from cudalike.viz._inputs import format_count, format_time_us

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from cudalike.model.pipe_model import PipeLaunchRecord

PIPES = ("S", "V", "M", "MTE1", "MTE2", "MTE3", "FIX")
PIPE_COLORS = {
    "S": "#7f7f7f",
    "V": "#1f77b4",
    "M": "#9467bd",
    "MTE1": "#8c564b",
    "MTE2": "#2ca02c",
    "MTE3": "#ff7f0e",
    "FIX": "#d62728",
}
RATIOS = (
    ("aiv_vec_ratio", "vector (V)"),
    ("aiv_mte2_ratio", "GM -> UB/L1 (MTE2)"),
    ("aiv_mte3_ratio", "UB -> GM (MTE3)"),
    ("aiv_scalar_ratio", "scalar (S)"),
    ("aic_cube_ratio", "cube (M)"),
    ("aic_mte1_ratio", "L1 -> L0 (MTE1)"),
    ("aic_fixpipe_ratio", "L0C -> GM (FIX)"),
    ("gm_bandwidth_ratio", "GM bandwidth roof"),
)
MAX_CORES = 4


def is_pipe_record(launch: object) -> bool:
    """True for a CANN launch record (it has pipe events, not a CUDA grid)."""
    return hasattr(launch, "core_cycles") and hasattr(launch, "events")


def shown_cores(record: PipeLaunchRecord, cores: list[int] | None = None) -> list[int]:
    """The cores the Gantt draws: those asked for, else the first MAX_CORES of the launch."""
    present = sorted({event.core for event in record.events})
    return [core for core in cores if core in present] if cores else present[:MAX_CORES]


def gantt_figure(record: PipeLaunchRecord, cores: list[int] | None = None) -> Figure:
    """Draw the pipes of some cores over time (cycles from the launch start).

    Args:
        record: the launch record.
        cores: block indices to draw (default: the first four).

    Returns:
        A `matplotlib.figure.Figure` (not attached to pyplot).
    """
    from matplotlib.figure import Figure

    chosen = shown_cores(record, cores)
    rows = [(core, pipe) for core in chosen for pipe in PIPES]
    figure = Figure(figsize=(9.0, 0.9 + 0.22 * len(rows)), dpi=100)
    axes = figure.add_subplot()
    position = {row: len(rows) - 1 - index for index, row in enumerate(rows)}
    bars: dict[tuple[int, str], list[tuple[float, float]]] = {row: [] for row in rows}
    for event in record.events:
        if (event.core, event.pipe) in bars:
            bars[(event.core, event.pipe)].append(
                (event.start_cycle, max(event.end_cycle - event.start_cycle, 0.5))
            )
    for row, spans in bars.items():
        axes.broken_barh(
            spans,
            (position[row] - 0.4, 0.8),
            facecolors=PIPE_COLORS[row[1]],
            edgecolor="white",  # back-to-back instructions stay apart
            linewidth=0.4,
        )
    axes.set_yticks([position[row] for row in rows])
    axes.set_yticklabels([f"core {core} {pipe}" for core, pipe in rows], fontsize=7)
    for index in range(1, len(chosen)):
        axes.axhline(len(rows) - index * len(PIPES) - 0.5, color=_style.RULE, linewidth=0.8)
    axes.set_xlim(0, max(record.cycles, 1.0))
    axes.set_ylim(-0.6, len(rows) - 0.4)
    axes.set_xlabel("cycle")
    axes.set_title(
        f"{record.kernel_name}: pipes of {len(chosen)} of {record.num_blocks} core(s), "
        f"{format_time_us(record.time_us)}",
        fontsize=10,
    )
    figure.tight_layout()
    return figure


def gantt_png(record: PipeLaunchRecord, cores: list[int] | None = None, dpi: int = 100) -> bytes:
    """The Gantt chart of `gantt_figure` as PNG bytes."""
    buffer = io.BytesIO()
    gantt_figure(record, cores).savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def header_html(record: PipeLaunchRecord) -> str:
    """Kernel name, blocks, device, modelled time and the bound badge."""
    bound = str(record.bound)
    color = _style.FAIR if bound == "latency" else _style.POOR
    return (
        f'<div style="font-weight:bold;font-size:14px">'
        f'<span style="{_style.MONO}">{html.escape(record.kernel_name)}</span> '
        f"[{record.num_blocks} block(s)] on {html.escape(record.device)}: "
        f"{format_time_us(record.time_us)} ({format_count(record.cycles)} cycles) "
        f"{_style.badge(bound + ' bound', color)}</div>"
    )


def utilisation_html(record: PipeLaunchRecord) -> str:
    """One bar per pipe ratio, labelled with the vendor's metric name."""
    rows = []
    for name, label in RATIOS:
        value = float(record.metrics.get(name, 0.0))
        percent = 100.0 * value
        bar = _style.bar(value, _style.level_color(percent))
        rows.append(
            f'<tr style="{_style.ROW}"><td style="{_style.TD};{_style.MONO}">{name}</td>'
            f'<td style="{_style.TD};color:{_style.MUTED}">{label}</td>'
            f'<td style="{_style.TD}">{bar}</td>'
            f'<td style="{_style.TD};text-align:right">{percent:.1f}%</td></tr>'
        )
    table = f'<table style="{_style.TABLE}">{"".join(rows)}</table>'
    return _style.section("Pipe utilisation (busy cycles / cycles held)", table)


def busiest_lines_html(record: PipeLaunchRecord, count: int = 5) -> str:
    """The source lines that kept the pipes busiest, with their cycles and share."""
    lines = sorted(record.lines, key=lambda line: line["cycles"], reverse=True)[:count]
    rows = []
    for line in lines:
        where = f"{line['filename'].rsplit('/', 1)[-1]}:{line['line']}"
        rows.append(
            f'<tr style="{_style.ROW}">'
            f'<td style="{_style.TD};color:{_style.MUTED}">{html.escape(where)}</td>'
            f'<td style="{_style.TD};{_style.MONO}">{html.escape(line["source"].strip())}</td>'
            f'<td style="{_style.TD};text-align:right">{format_count(line["cycles"])}</td>'
            f'<td style="{_style.TD};text-align:right">{100 * line["share"]:.1f}%</td></tr>'
        )
    table = f'<table style="{_style.TABLE}">{"".join(rows)}</table>'
    return _style.section("Busiest source lines (pipe cycles, all cores)", table)


def pipe_html(record: PipeLaunchRecord, png: bytes | None = None) -> str:
    """Everything about one CANN launch as static HTML, the Gantt inlined as PNG."""
    from cudalike.viz._page import png_data_uri

    png = gantt_png(record) if png is None else png
    alt = html.escape(f"pipe timeline of {record.kernel_name}", quote=True)
    image = f'<img src="{png_data_uri(png)}" alt="{alt}" style="max-width:100%;height:auto">'
    kernel = html.escape(record.kernel_name, quote=True)
    return (
        f'<div data-kernel="{kernel}">{header_html(record)}'
        f'<div style="max-width:640px">{utilisation_html(record)}</div>'
        f"{image}{busiest_lines_html(record)}</div>"
    )
