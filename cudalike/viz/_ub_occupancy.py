"""`viz.ub_occupancy(prof)`: Unified Buffer use of one core of a CANN launch over time.

The picture has three parts, one above the other:
- a bar as wide as the UB capacity of the launch's device profile, filled with the bytes
  InitBuffer reserved (`metrics["ub_bytes_used"]` of the launch record): what a CapacityError
  checks, reserved for the whole kernel;
- the buffers holding data over the core's timeline, derived from the pipe events: in the
  CopyIn / Compute / CopyOut pattern each MTE2 copy fills one input buffer, held until the
  last vector instruction of its tile ends (FreeTensor), and each MTE3 copy drains one output
  buffer, held from the tile's first vector instruction (it is allocated before Compute
  writes it) until the copy ends. With `buffer_bytes` (one buffer's size) the count becomes
  bytes, drawn against the reservation;
- the MTE2, V and MTE3 lanes of the same core, so that stalls line up with the buffers.
The launch record keeps no AllocTensor/FreeTensor times, so the held buffers are this
reconstruction from the instructions; the reserved bytes and the capacity are exact.
"""

from __future__ import annotations

import html

from cudalike.viz._pipes import PIPE_COLORS, is_pipe_record
from cudalike.viz._style import ACCENT, FONT, MUTED, POOR, TEXT
from cudalike.viz._svg_grid import svg_text

WIDTH = 720
LEFT = 90
PLOT_WIDTH = WIDTH - LEFT - 16
PLOT_HEIGHT = 120
BAR = 14
RESERVED = "#555555"
LANE = 12
LANES = ("MTE2", "V", "MTE3")


def _tiles(events: list) -> list[dict]:
    """Split one core's events (issue order) into tiles: MTE2 copies, then the rest to MTE3."""
    tiles: list[dict] = []
    current: dict | None = None
    for event in events:
        if event.pipe == "MTE2" and (current is None or current["out"] or current["compute"]):
            current = {"in": [], "compute": [], "out": []}
            tiles.append(current)
        if current is None:
            continue
        if event.pipe == "MTE2":
            current["in"].append(event)
        elif event.pipe == "MTE3":
            current["out"].append(event)
        elif event.pipe == "V":
            current["compute"].append(event)
    return tiles


def _held_buffers(tiles: list[dict]) -> list[tuple[float, float]]:
    """(start, end) cycles of every buffer holding data, inputs and outputs alike."""
    held = []
    for tile in tiles:
        compute = tile["compute"]
        for copy in tile["in"]:
            end = max((e.end_cycle for e in compute), default=copy.end_cycle)
            held.append((copy.start_cycle, max(end, copy.end_cycle)))
        for copy in tile["out"]:
            start = min((e.start_cycle for e in compute), default=copy.start_cycle)
            held.append((min(start, copy.start_cycle), copy.end_cycle))
    return held


def _steps(held: list[tuple[float, float]]) -> list[tuple[float, int]]:
    """(cycle, buffers held from that cycle on), one entry per change, starting at 0."""
    changes: dict[float, int] = {}
    for start, end in held:
        changes[start] = changes.get(start, 0) + 1
        changes[end] = changes.get(end, 0) - 1
    steps, count = [(0.0, 0)], 0
    for cycle in sorted(changes):
        count += changes[cycle]
        if cycle == steps[-1][0]:
            steps[-1] = (cycle, count)
        else:
            steps.append((cycle, count))
    return steps


class UbOccupancy:
    """UB use of one core over its timeline.

    Attributes:
        core: the block drawn.
        capacity_bytes: UB bytes per core of the launch's device profile.
        reserved_bytes: the most UB InitBuffer gave a core in this launch.
        buffer_bytes: size of one buffer if given, else None (the curve counts buffers).
        cycles: the core's last cycle.
        steps: (cycle, buffers holding data from then on), from cycle 0.
        peak_buffers: the most buffers holding data at once.
        peak_bytes: peak_buffers * buffer_bytes, or None without buffer_bytes.
        problems: what the picture cannot show or what looks wrong, in words.
    """

    def __init__(self, record, core: int, capacity: int, buffer_bytes: int | None):
        self.core = core
        self.capacity_bytes = capacity
        self.reserved_bytes = int(record.metrics.get("ub_bytes_used", 0))
        self.buffer_bytes = buffer_bytes
        self.events = [e for e in record.events if e.core == core]
        self.start = min((e.start_cycle for e in self.events), default=0.0)
        self.cycles = max((e.end_cycle for e in self.events), default=0.0) - self.start
        tiles = _tiles(self.events)
        held = [(s - self.start, e - self.start) for s, e in _held_buffers(tiles)]
        self.steps = _steps(held)
        self.peak_buffers = max(count for _, count in self.steps)
        self.peak_bytes = None if buffer_bytes is None else self.peak_buffers * buffer_bytes
        self.problems = []
        if not tiles:
            self.problems.append("no MTE2 copies on this core: no buffers to follow")
        if self.peak_bytes is not None and self.peak_bytes > self.reserved_bytes:
            self.problems.append(
                f"{self.peak_buffers} buffers of {buffer_bytes} bytes = {self.peak_bytes} "
                f"bytes exceed the {self.reserved_bytes} bytes InitBuffer reserved: check "
                "buffer_bytes"
            )

    def _x(self, cycle: float) -> float:
        return LEFT + PLOT_WIDTH * cycle / (self.cycles or 1.0)

    def _capacity_bar(self, y: float) -> list[str]:
        """A bar as wide as UB, the InitBuffer reservation filled in."""
        share = min(self.reserved_bytes / (self.capacity_bytes or 1), 1.0)
        text = (
            f"UB {self.capacity_bytes} B: InitBuffer reserved {self.reserved_bytes} B ({share:.0%})"
        )
        return [
            svg_text(LEFT - 4, y + BAR - 3, "UB", 9, MUTED, "end"),
            f'<g class="capacity"><rect x="{LEFT}" y="{y}" width="{PLOT_WIDTH}" '
            f'height="{BAR}" fill="#ffffff" stroke="{POOR}"/><rect x="{LEFT}" y="{y}" '
            f'width="{PLOT_WIDTH * share:.1f}" height="{BAR}" fill="{RESERVED}"/>'
            f"<title>{html.escape(text)}</title></g>",
            svg_text(LEFT + PLOT_WIDTH - 4, y + BAR - 3, text, 9, TEXT, "end"),
        ]

    def _held_plot(self, top: float) -> list[str]:
        """Buffers holding data over time, scaled to the reservation (bytes) or the peak."""
        per_unit = self.buffer_bytes or 1
        scale = 1.15 * max(
            self.reserved_bytes if self.buffer_bytes else 0, self.peak_buffers * per_unit, 1
        )

        def y_of(value: float) -> float:
            return top + PLOT_HEIGHT * (1.0 - value / scale)

        bottom = top + PLOT_HEIGHT
        unit = "B" if self.buffer_bytes else "buffers"
        parts = [
            f'<rect x="{LEFT}" y="{top}" width="{PLOT_WIDTH}" height="{PLOT_HEIGHT}" '
            'fill="#fafafa" stroke="#dddddd"/>',
            svg_text(LEFT - 4, bottom, f"0 {unit}", 9, MUTED, "end"),
        ]
        points = []
        for index, (cycle, count) in enumerate(self.steps):
            end = self.steps[index + 1][0] if index + 1 < len(self.steps) else self.cycles
            y = y_of(count * per_unit)
            points += [f"{self._x(cycle):.1f},{y:.1f}", f"{self._x(end):.1f},{y:.1f}"]
        base = f"{self._x(self.cycles):.1f},{bottom} {LEFT},{bottom}"
        peak = self.peak_buffers * per_unit
        parts.append(
            f'<g class="held"><polygon points="{" ".join(points)} {base}" fill="{ACCENT}" '
            f'fill-opacity="0.35" stroke="{ACCENT}"/><title>buffers holding data: at most '
            f"{self.peak_buffers}</title></g>"
        )
        parts.append(svg_text(LEFT - 4, y_of(peak) + 3, f"peak {peak} {unit}", 9, ACCENT, "end"))
        if self.buffer_bytes:
            y = y_of(self.reserved_bytes)
            parts.append(
                f'<line class="reserved" x1="{LEFT}" x2="{LEFT + PLOT_WIDTH}" y1="{y:.1f}" '
                f'y2="{y:.1f}" stroke="{TEXT}" stroke-dasharray="5,3"/>'
            )
            parts.append(
                svg_text(LEFT + 4, y - 3, f"reserved {self.reserved_bytes} B", 9, TEXT, "start")
            )
        return parts

    def _lanes(self, top: float) -> list[str]:
        parts = []
        for row, pipe in enumerate(LANES):
            y = top + row * LANE
            parts.append(svg_text(LEFT - 4, y + LANE - 3, pipe, 9, MUTED, "end"))
            for event in self.events:
                if event.pipe == pipe:
                    x = self._x(event.start_cycle - self.start)
                    w = max(self._x(event.end_cycle - self.start) - x, 0.5)
                    parts.append(
                        f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{LANE - 2}" '
                        f'fill="{PIPE_COLORS[pipe]}"><title>{html.escape(event.name)} line '
                        f"{event.line}</title></rect>"
                    )
        return parts

    def to_html(self) -> str:
        """Static HTML with one inline SVG: the UB bar, the held buffers, the pipe lanes."""
        plot_top = 8 + BAR + 12
        lanes_top = plot_top + PLOT_HEIGHT + 10
        height = lanes_top + len(LANES) * LANE + 18
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="ub-occupancy" width="{WIDTH}" '
            f'height="{height}" viewBox="0 0 {WIDTH} {height}" '
            f'style="{FONT};max-width:100%;height:auto">',
            *self._capacity_bar(8),
            *self._held_plot(plot_top),
            *self._lanes(lanes_top),
            svg_text(
                LEFT + PLOT_WIDTH / 2,
                height - 4,
                f"cycles 0 .. {self.cycles:.0f} of core {self.core}",
                10,
                MUTED,
                "middle",
            ),
            "</svg>",
        ]
        peak = (
            f"{self.peak_bytes} bytes ({self.peak_buffers} buffers of {self.buffer_bytes})"
            if self.buffer_bytes
            else f"{self.peak_buffers} buffers (pass buffer_bytes for bytes)"
        )
        legend = (
            f'<div style="{FONT};color:{TEXT}">UB of core {self.core}: capacity '
            f"{self.capacity_bytes} bytes, {self.reserved_bytes} reserved by InitBuffer "
            f"({self.reserved_bytes / (self.capacity_bytes or 1):.0%}); at most {peak} hold "
            "data at once (blue, from the pipe events).</div>"
        )
        notes = "".join(
            f'<div style="{FONT};color:{POOR}">✗ {html.escape(p)}</div>' for p in self.problems
        )
        return f'<div class="cudalike-ub-occupancy">{legend}{notes}{"".join(parts)}</div>'

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return (
            f"<ub_occupancy core {self.core}: {self.reserved_bytes} of {self.capacity_bytes} "
            f"bytes reserved, at most {self.peak_buffers} buffers holding data>"
        )


def ub_occupancy(prof, *, launch: int = -1, core: int = 0, buffer_bytes: int | None = None):
    """The UB of `core` in a profiled CANN launch: capacity, reserved bytes, held buffers.

    Args:
        prof: a `profiler.profile()` result or one `PipeLaunchRecord`.
        launch: which launch of `prof` (default the last).
        core: the block to draw (default 0).
        buffer_bytes: bytes of one buffer (tileLength * element size) to draw bytes, not counts.

    Raises:
        ValueError: not a CANN launch, or a core the launch did not run.
    """
    from cudalike.model.devices_npu import npu_profile_for

    record = prof.launches[launch] if hasattr(prof, "launches") else prof
    if not is_pipe_record(record):
        raise ValueError("ub_occupancy draws a CANN launch (a PipeLaunchRecord), not a CUDA one")
    if not 0 <= core < record.num_blocks:
        raise ValueError(f"core {core} is not in this launch of {record.num_blocks} block(s)")
    if buffer_bytes is not None and buffer_bytes < 1:
        raise ValueError(f"buffer_bytes must be a positive number of bytes, got {buffer_bytes}")
    capacity = npu_profile_for(record.device).ub_bytes
    return UbOccupancy(record, core, capacity, buffer_bytes)
