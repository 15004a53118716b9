"""Roofline chart of one launch, drawn with matplotlib into a PNG.

Roofline model (Williams, Waterman and Patterson, 2009): a kernel doing I FLOPs per byte of
memory traffic can reach at most min(peak FLOP/s, bandwidth x I). The chart draws that roof
for DRAM and for L2 (the device's figures from `LaunchRecord.peaks`), then places the kernel:

1. x = FLOPs per DRAM byte (`cudalike__flops.sum` / DRAM bytes read + written), filled dot;
   the same FLOPs per L2 byte (`lts__t_bytes.sum`) as a hollow dot, so the gap between the two
   shows how much the L2 cache saved;
2. y = FLOPs / modelled time.

A point far below its roof means the kernel is limited by something the roofline does not
draw (latency, occupancy, bank conflicts, atomics); the `bound` in the header names it.
matplotlib is imported here, inside the functions, so `import cudalike.viz` stays light; the
figure is a bare `matplotlib.figure.Figure`, never pyplot, so nothing touches global state.
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

from cudalike.viz._inputs import format_rate, metric

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from cudalike.model.records import LaunchRecord

ROOF_COLOR = "#444444"
L2_COLOR = "#8a8a8a"
POINT_COLOR = "#d62728"


def kernel_point(launch: LaunchRecord) -> dict[str, float]:
    """Return the kernel's roofline coordinates.

    Returns:
        A dict with "flops" (total), "flops_per_s" (achieved, modelled), "dram_intensity"
        and "l2_intensity" (FLOPs per byte; `inf` when there was no traffic at that level).

    Example:
        >>> kernel_point(record)["dram_intensity"]  # doctest: +SKIP
        0.25
    """
    flops = metric(launch, "cudalike__flops.sum")
    dram_bytes = metric(launch, "dram__bytes_read.sum") + metric(launch, "dram__bytes_write.sum")
    l2_bytes = metric(launch, "lts__t_bytes.sum")
    seconds = launch.time_us * 1e-6
    return {
        "flops": flops,
        "flops_per_s": flops / seconds if seconds > 0 else 0.0,
        "dram_intensity": flops / dram_bytes if dram_bytes else math.inf,
        "l2_intensity": flops / l2_bytes if l2_bytes else math.inf,
    }


def roofline_figure(launch: LaunchRecord) -> Figure:
    """Draw the roofline chart of one launch.

    Args:
        launch: the launch record; its `peaks` give the roofs, its metrics the point.

    Returns:
        A `matplotlib.figure.Figure` (not attached to pyplot).
    """
    from matplotlib.figure import Figure

    peak = float(launch.peaks.get("flops_per_s", 0.0)) or 1.0
    dram_bandwidth = float(launch.peaks.get("dram_bytes_per_s", 0.0)) or 1.0
    l2_bandwidth = float(launch.peaks.get("l2_bytes_per_s", 0.0))
    point = kernel_point(launch)
    x_low, x_high = _x_range(peak, dram_bandwidth, point)
    y_low, y_high = _y_range(peak, dram_bandwidth, x_low, point)

    figure = Figure(figsize=(6.0, 4.0), dpi=100)
    axes = figure.add_subplot()
    axes.set_xscale("log")
    axes.set_yscale("log")
    x_values = [x_low * (x_high / x_low) ** (step / 400) for step in range(401)]

    dram_roof = [min(peak, dram_bandwidth * x) for x in x_values]
    axes.plot(
        x_values,
        dram_roof,
        color=ROOF_COLOR,
        linewidth=2.0,
        label=f"DRAM roof ({format_rate(dram_bandwidth, 'B/s')})",
    )
    if l2_bandwidth > 0:
        l2_roof = [min(peak, l2_bandwidth * x) for x in x_values]
        axes.plot(
            x_values,
            l2_roof,
            color=L2_COLOR,
            linewidth=1.2,
            linestyle="--",
            label=f"L2 roof ({format_rate(l2_bandwidth, 'B/s')})",
        )
    ridge = peak / dram_bandwidth
    axes.axvline(ridge, color=ROOF_COLOR, linewidth=0.6, linestyle=":")
    # Left of the ridge no kernel can reach the FP32 peak, whatever it does with its FLOPs.
    axes.text(
        ridge / 1.1, y_low * 2, "memory-bound \u2190", fontsize=8, color=ROOF_COLOR, ha="right"
    )
    axes.text(
        ridge * 1.1,
        y_low * 2,
        f"\u2192 compute-bound\n(ridge {ridge:.3g} FLOP/B)",
        fontsize=8,
        color=ROOF_COLOR,
    )
    axes.text(
        x_high / 1.15,
        peak * 1.15,
        f"FP32 peak {format_rate(peak, 'FLOP/s')}",
        fontsize=8,
        color=ROOF_COLOR,
        ha="right",
        va="bottom",
    )
    _draw_point(axes, launch, point, x_high, y_low)

    axes.set_xlim(x_low, x_high)
    axes.set_ylim(y_low, y_high)
    _readable_ticks(axes)
    axes.set_xlabel("arithmetic intensity (FLOP per DRAM byte)")
    axes.set_ylabel("FLOP/s (modelled)")
    axes.set_title(f"Roofline: {launch.kernel_name} on {launch.device}", fontsize=10)
    axes.grid(True, which="major", linewidth=0.4, alpha=0.5)
    axes.legend(loc="upper left", fontsize=7.5, framealpha=0.9)
    figure.tight_layout()
    return figure


def roofline_png(launch: LaunchRecord, *, dpi: int = 100) -> bytes:
    """Return the roofline chart of one launch as PNG bytes.

    Args:
        launch: the launch record.
        dpi: resolution of the PNG.

    Returns:
        The PNG file's bytes (deterministic: no timestamp or software tag is written).

    Example:
        >>> roofline_png(record)[:4]  # doctest: +SKIP
        b'\\x89PNG'
    """
    figure = roofline_figure(launch)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def _x_range(peak: float, dram_bandwidth: float, point: dict[str, float]) -> tuple[float, float]:
    """Whole decades of intensity covering the ridge and the kernel's finite points."""
    ridge = peak / dram_bandwidth
    wanted = [1e-2, ridge / 100, ridge * 20]
    for key in ("dram_intensity", "l2_intensity"):
        if point["flops"] > 0 and math.isfinite(point[key]) and point[key] > 0:
            wanted += [point[key] / 3, point[key] * 3]
    low = 10 ** math.floor(math.log10(min(wanted)))
    high = 10 ** math.ceil(math.log10(max(wanted)))
    return low, high


def _y_range(
    peak: float, dram_bandwidth: float, x_low: float, point: dict[str, float]
) -> tuple[float, float]:
    """FLOP/s range: from below the roof's left end (and the point) to above the peak."""
    low = min(dram_bandwidth * x_low, peak / 1e4)
    if point["flops_per_s"] > 0:
        low = min(low, point["flops_per_s"] / 5)
    return 10 ** math.floor(math.log10(low)), peak * 6


def _draw_point(axes, launch: LaunchRecord, point: dict[str, float], x_high: float, y_low: float):
    """Place the kernel on the chart, or say why it has no place."""
    if point["flops"] <= 0 or point["flops_per_s"] <= 0:
        axes.text(
            0.62,
            0.35,
            "no floating-point work counted:\nthis kernel has no roofline point",
            transform=axes.transAxes,
            ha="center",
            fontsize=9,
            color=POINT_COLOR,
            bbox={"facecolor": "white", "edgecolor": POINT_COLOR, "boxstyle": "round"},
        )
        return
    achieved = point["flops_per_s"]
    dram_x = point["dram_intensity"] if math.isfinite(point["dram_intensity"]) else x_high
    label = f"{launch.kernel_name}: {format_rate(point['flops_per_s'], 'FLOP/s')}"
    if not math.isfinite(point["dram_intensity"]):
        label += " (no DRAM traffic)"
    if math.isfinite(point["l2_intensity"]):
        axes.plot(
            [point["l2_intensity"]],
            [achieved],
            marker="o",
            markersize=12,
            markerfacecolor="white",
            markeredgecolor=POINT_COLOR,
            linestyle="none",
            label="same FLOPs per L2 byte (L2 intensity)",
        )
    axes.plot(
        [dram_x],
        [achieved],
        marker="o",
        markersize=8,
        color=POINT_COLOR,
        linestyle="none",
        label=label,
    )


def _readable_ticks(axes) -> None:
    """Tick labels learners read without counting zeros: 0.1, 1, 10 and 10 G, 1 T."""
    from matplotlib.ticker import FuncFormatter, LogLocator

    axes.xaxis.set_major_locator(LogLocator(base=10))
    axes.yaxis.set_major_locator(LogLocator(base=10))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_rate(value, "").strip()))
