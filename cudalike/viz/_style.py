"""Colors and small HTML pieces (bars, badges) shared by the panels.

Every style is written inline (`style="..."`), not in a `<style>` sheet: notebook front ends
and nbconvert sanitise untrusted HTML and keep inline styles more often than style sheets,
and inline styles cannot leak into the rest of the notebook page.
"""

from __future__ import annotations

import html

FONT = "font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:13px"
MONO = "font-family:Menlo,Consolas,'DejaVu Sans Mono',monospace;font-size:12px"
TEXT = "#222222"
MUTED = "#777777"
RULE = "#dddddd"
GOOD = "#2ca02c"
FAIR = "#f0a30a"
POOR = "#d62728"
ACCENT = "#1f77b4"
HIGHLIGHT = "#fff1c1"

# Notebook front ends style every table (JupyterLab right-aligns cells, centers and stripes
# tables, fixes their layout); these base styles undo that. Later declarations win, so a
# cell's own style is appended after `TD`.
TABLE = "border-collapse:collapse;border:none;margin:0;table-layout:auto;width:auto"
TD = "text-align:left;vertical-align:middle;border:none;padding:1px 6px;max-width:none"
ROW = "background:#ffffff"


def level_color(percent: float) -> str:
    """Color of a speed-of-light bar: green from 60 %, amber from 30 %, else red.

    Nsight Compute's guidance reads a throughput above about 60 % of peak as good use of
    that unit; under 30 % the unit is mostly idle.
    """
    if percent >= 60.0:
        return GOOD
    if percent >= 30.0:
        return FAIR
    return POOR


def bar(fraction: float, color: str, width_px: int = 220, height_px: int = 12) -> str:
    """An inline horizontal bar: a `fraction` (0..1) of its track filled with `color`."""
    fraction = min(max(fraction, 0.0), 1.0)
    track = (
        f"display:inline-block;vertical-align:middle;width:{width_px}px;height:{height_px}px;"
        f"background:#eeeeee;border-radius:2px;overflow:hidden"
    )
    fill = f"display:block;height:100%;width:{fraction * 100:.1f}%;background:{color}"
    return f'<span style="{track}"><span style="{fill}"></span></span>'


def badge(text: str, color: str) -> str:
    """A small colored label (used for the bound resource and worst-line ranks)."""
    style = (
        f"display:inline-block;padding:1px 6px;border-radius:3px;background:{color};"
        f"color:white;font-weight:bold;font-size:11px"
    )
    return f'<span style="{style}">{html.escape(text)}</span>'


def section(title: str, body: str) -> str:
    """A titled block of a launch's display."""
    heading = (
        f"margin:10px 0 4px 0;font-weight:bold;font-size:13px;color:{TEXT};"
        f"border-bottom:1px solid {RULE};padding-bottom:2px"
    )
    return f'<div><div style="{heading}">{html.escape(title)}</div>{body}</div>'


def heat(fraction: float) -> str:
    """Background color for a heat strip: white (0) to deep orange (1)."""
    fraction = min(max(fraction, 0.0), 1.0)
    # Interpolate white (255, 255, 255) -> orange-red (230, 85, 13).
    red = round(255 - 25 * fraction)
    green = round(255 - 170 * fraction)
    blue = round(255 - 242 * fraction)
    return f"rgb({red},{green},{blue})"
