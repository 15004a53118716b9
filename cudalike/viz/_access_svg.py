"""Drawing of `viz.accesses`: one inline SVG per array, arrows from threads to elements.

Each panel shows the launch's threads on top (one box per block, laid out as the grid, one
cell per thread) and the array's elements below (one copy per block for shared memory), with
an arrow from each thread to every element it read (dashed) or wrote (solid), coloured by
block. Hovering a cell names the threads that touched it (SVG `<title>`); hovering a thread
highlights its arrows where the front end keeps the picture's style sheet. A kernel error is
drawn in red: the offending thread, the element (a ghost cell past the edge when out of
bounds), and for a race the other thread(s).
"""

from __future__ import annotations

import hashlib
import html

import numpy as np

from cudalike.viz._style import FONT, MONO, MUTED, POOR, TEXT
from cudalike.viz._svg_grid import (
    BLOCK_COLORS,
    MARGIN,
    ArrayLayout,
    ThreadGrid,
    block_color,
    index_text,
    short_index,
    svg_text,
)

MAX_ARROWS = 4000  # arrows drawn per panel; past that, only the first threads' arrows
GAP = 70  # vertical space between the threads and the array, for the arrows

_SHEET = (
    ".cudalike-accesses svg:hover .arrow{opacity:.12}"
    ".cudalike-accesses svg g.thread:hover .arrow{opacity:1;stroke-width:2.5}"
    ".cudalike-accesses svg g.thread:hover .thread-cell{stroke:#000;stroke-width:2}"
)


def picture_html(picture) -> str:
    """The whole picture: heading, error report, one SVG panel per array."""
    head = (
        f'<div style="{FONT};color:{TEXT};margin-bottom:4px"><b>{html.escape(picture.kernel)}'
        f"</b>[{short_index(picture.griddim, picture.griddim)}, "
        f"{short_index(picture.blockdim, picture.blockdim)}]: "
        "each thread's arrows go to the elements it read (dashed) or wrote (solid); colours "
        "are blocks. Hover a cell for the threads that touched it.</div>"
    )
    parts = [f'<div class="cudalike-accesses"><style>{_SHEET}</style>', head]
    if picture.error is not None:
        text = html.escape(str(picture.error))
        parts.append(
            f'<pre class="error-report" style="{MONO};color:{POOR};border-left:3px solid '
            f'{POOR};padding:4px 8px;margin:4px 0;white-space:pre-wrap">{text}</pre>'
        )
    if picture.truncated:
        parts.append(
            f'<div style="{FONT};color:{MUTED}">The launch made more accesses than can be '
            "recorded; only the first ones are drawn.</div>"
        )
    for name in picture.arrays:
        parts.append(_panel(picture, name))
    parts.append("</div>")
    return "".join(parts)


def _panel(picture, name: str) -> str:
    info = picture.arrays[name]
    shared = info.space == "shared"
    touches: dict[tuple[int, int], dict[int, set]] = {}  # (copy block, flat) -> thread -> kinds
    arrows: dict[tuple[int, int, int, str], bool] = {}  # (thread, copy, flat, way) -> atomic
    per_block = picture.threads_per_block
    for event in picture.events:
        if event.array != name:
            continue
        blocks = event.threads // per_block if shared else np.zeros_like(event.threads)
        way = "read" if event.kind == "read" else "write"
        atomic = event.kind == "atomic"
        for thread, block, flat in zip(
            event.threads.tolist(), blocks.tolist(), event.elements.tolist(), strict=True
        ):
            touches.setdefault((block, flat), {}).setdefault(thread, set()).add(event.kind)
            key = (thread, block, flat, way)
            arrows[key] = arrows.get(key, False) or atomic
    error = _error_marks(picture, name, touches)
    copies = [0]
    if shared:
        copies = sorted({block for block, _ in touches} | ({error["copy"]} if error else set()))
    threads = ThreadGrid(picture.griddim, picture.blockdim)
    if len(info.shape) >= 2:  # a grid of elements: beside the threads, arrows sideways
        array = ArrayLayout(info, copies, threads.top, 900, left=threads.width + GAP)
    else:
        array = ArrayLayout(info, copies, threads.height + GAP, int(threads.width))
    width = max(threads.width, array.width) + MARGIN
    height = max(threads.height, array.top + array.height)
    pid = _panel_id(picture, name)
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="accesses" data-array="'
        f'{html.escape(name)}" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" style="{FONT};max-width:100%;height:auto">',
        _markers(pid),
        threads.blocks_svg(),
        _cells(picture, name, array, touches, error),
    ]
    drawn_threads = _threads_with_arrows(arrows)
    left_out = 0
    by_thread: dict[int, list] = {}
    for (thread, block, flat, way), atomic in sorted(arrows.items()):
        if not array.shown(flat) or thread not in drawn_threads:
            left_out += 1
            continue
        by_thread.setdefault(thread, []).append((block, flat, way, atomic))
    threads_total = int(np.prod(picture.griddim)) * per_block
    for thread in range(threads_total):
        marks = ""
        if error and thread == error["offender"]:
            marks = " error-thread"
        elif error and thread in error["others"]:
            marks = " error-other"
        svg.append(_thread(picture, thread, threads, array, by_thread.get(thread, ()), pid, marks))
    if error and error["ghost"] is not None:
        svg.append(_ghost(picture, name, array, error, threads, pid))
    svg.append("</svg>")
    notes = _notes(info, array, left_out, len(drawn_threads), len({key[0] for key in arrows}))
    title = f"{name}: {info.space} array, shape {index_text(info.shape) if info.shape else '()'}"
    return (
        f'<div class="panel" style="margin:8px 0"><div style="{FONT};font-weight:bold">'
        f"{html.escape(title)}</div>{''.join(svg)}{notes}</div>"
    )


def _error_marks(picture, name: str, touches: dict) -> dict | None:
    """What the error marks in this panel: offending thread, element or ghost, other threads."""
    error = picture.error
    if error is None:
        return None
    offender = None
    if error.block is not None and error.thread is not None:
        offender = picture.linear_thread(error.block, error.thread)
    marks = {"offender": offender, "copy": 0, "element": None, "ghost": None, "others": set()}
    if getattr(error, "array", None) != name or getattr(error, "element", None) is None:
        return marks
    info = picture.arrays[name]
    element = tuple(int(i) for i in error.element)
    if info.space == "shared" and error.block is not None:
        marks["copy"] = picture.linear_thread(error.block, (0, 0, 0)) // picture.threads_per_block
    if len(element) != len(info.shape):
        return marks
    inside = all(0 <= i < n for i, n in zip(element, info.shape, strict=True))
    if not inside:
        marks["ghost"] = element
        return marks
    flat = int(np.ravel_multi_index(element, info.shape))
    marks["element"] = (marks["copy"], flat)
    if error.other_thread is not None and error.other_block is not None:
        marks["others"] = {picture.linear_thread(error.other_block, error.other_thread)}
    else:
        touched = touches.get((marks["copy"], flat), {})
        wanted = None
        if error.other_block is not None:
            wanted = picture.linear_thread(error.other_block, (0, 0, 0))
            wanted //= picture.threads_per_block
        marks["others"] = {
            t
            for t in touched
            if t != offender and (wanted is None or t // picture.threads_per_block == wanted)
        }
    return marks


def _ghost(picture, name: str, array, error: dict, threads, pid: str) -> str:
    """A red cell where the out-of-range element would be, and the offender's arrow to it."""
    row, col = array.ghost_position(error["ghost"])
    k = array.copies.index(error["copy"]) if error["copy"] in array.copies else 0
    x, y = array.cell_origin(k, row, col)
    size = array.cell
    index = ", ".join(map(str, error["ghost"]))
    title = f"{name}[{index}] does not exist (shape {index_text(picture.arrays[name].shape)})"
    if error["offender"] is not None:
        title += "\nblock {} thread {} tried to touch it".format(
            index_text(picture.block_of(error["offender"])),
            index_text(picture.thread_of(error["offender"])),
        )
    parts = [
        f'<g class="ghost error-element"><rect x="{x:.1f}" y="{y:.1f}" width="{size}" '
        f'height="{size}" fill="#fde0e0" stroke="{POOR}" stroke-width="2" '
        f'stroke-dasharray="3 2"/>',
        svg_text(x + size / 2, y + size / 2, "!", 10, POOR) if size >= 10 else "",
        f"<title>{html.escape(title)}</title></g>",
    ]
    if error["offender"] is not None:
        tx, ty = threads.cell_origin(error["offender"])
        start, end = _ends(threads, (tx, ty), array, (x, y))
        parts.append(
            f'<line class="arrow error" x1="{start[0]:.1f}" y1="{start[1]:.1f}" '
            f'x2="{end[0]:.1f}" y2="{end[1]:.1f}" stroke="{POOR}" stroke-width="2.5" '
            f'marker-end="url(#{pid}-m{len(BLOCK_COLORS)})"/>'
        )
    return "".join(parts)


def _threads_with_arrows(arrows: dict) -> set[int]:
    """Threads whose arrows are drawn: all, or the first ones up to MAX_ARROWS arrows."""
    counts: dict[int, int] = {}
    for thread, *_ in arrows:
        counts[thread] = counts.get(thread, 0) + 1
    chosen, total = set(), 0
    for thread in sorted(counts):
        if total + counts[thread] > MAX_ARROWS and chosen:
            break
        chosen.add(thread)
        total += counts[thread]
    return chosen


def _notes(info, array: ArrayLayout, left_out: int, drawn: int, threads: int) -> str:
    notes = []
    size = int(np.prod(info.shape, dtype=np.int64)) if info.shape else 1
    shown = array.shown_rows * array.shown_cols
    if shown < size:
        notes.append(f"showing the first {shown} of {size} elements")
    if drawn < threads:
        notes.append(f"arrows of the first {drawn} of {threads} threads (too many to draw)")
    if left_out:
        notes.append(f"{left_out} arrows to elements not shown are left out")
    if not notes:
        return ""
    return f'<div style="{FONT};color:{MUTED}">' + "; ".join(notes) + "</div>"


def _panel_id(picture, name: str) -> str:
    text = f"{picture.kernel}|{picture.griddim}|{picture.blockdim}|{name}|{len(picture.events)}"
    return "a" + hashlib.sha1(text.encode()).hexdigest()[:8]


def _markers(pid: str) -> str:
    parts = ["<defs>"]
    for k, color in enumerate((*BLOCK_COLORS, POOR)):
        parts.append(
            f'<marker id="{pid}-m{k}" viewBox="0 0 6 6" refX="5" refY="3" markerWidth="5" '
            f'markerHeight="5" orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="{color}"/>'
            "</marker>"
        )
    parts.append("</defs>")
    return "".join(parts)


def _who(picture, threads) -> str:
    names = [
        f"block {index_text(picture.block_of(t))} thread {index_text(picture.thread_of(t))}"
        for t in sorted(threads)[:8]
    ]
    more = len(threads) - len(names)
    return "; ".join(names) + (f"; and {more} more" if more > 0 else "")


def _cells(picture, name, array: ArrayLayout, touches, error) -> str:
    parts = []
    info = picture.arrays[name]
    shared = info.space == "shared"
    size = array.cell
    for k, block in enumerate(array.copies):
        x0, _ = array.cell_origin(k, 0, 0)
        label = name
        if shared:
            index = picture.block_of(block * picture.threads_per_block)
            label = f"block {short_index(index, picture.griddim)}'s copy"
        below = array.top + (array.shown_rows + 2) * array.cell + 4
        parts.append(svg_text(x0, below, label, 10, MUTED, "start"))
        for flat in range(array.shown_rows * array.shown_cols):
            row, col = divmod(flat, array.shown_cols)
            flat_index = row * array.cols + col
            x, y = array.cell_origin(k, row, col)
            element = picture.element_tuple(name, flat_index) if info.shape else ()
            touched = touches.get((block, flat_index), {})
            written = [t for t, kinds in touched.items() if kinds & {"write", "atomic"}]
            read = [t for t, kinds in touched.items() if "read" in kinds]
            fill = "#ffffff"
            if written:
                fill = _tint(block_color(min(written) // picture.threads_per_block))
            elif read:
                fill = "#eeeeee"
            classes = "cell touched" if touched else "cell"
            stroke, stroke_width = "#999999", 1
            if error and error["element"] == (block, flat_index):
                classes += " error-element"
                stroke, stroke_width = POOR, 3
            title = f"{name}[{', '.join(map(str, element))}]"
            if shared:
                title += f" in {label}"
            if written:
                title += "\nwritten by " + _who(picture, written)
            if read:
                title += "\nread by " + _who(picture, read)
            if not touched:
                title += "\nnot touched"
            parts.append(
                f'<g class="{classes}"><rect x="{x:.1f}" y="{y:.1f}" width="{size}" '
                f'height="{size}" fill="{fill}" stroke="{stroke}" stroke-width="{stroke_width}"/>'
                + (svg_text(x + size / 2, y + size / 2, str(col), 8, MUTED) if size >= 16 else "")
                + f"<title>{html.escape(title)}</title></g>"
            )
        if array.shown_rows > 1 and size >= 12:
            for row in range(array.shown_rows):
                _, y = array.cell_origin(k, row, 0)
                parts.append(svg_text(x0 - 2, y + size / 2, str(row), 8, MUTED, "end"))
    return "".join(parts)


def _tint(color: str) -> str:
    """A light version of a block colour, for the fill of elements that block wrote."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * 0.6):02x}" for c in (red, green, blue))


def _thread(picture, thread: int, threads: ThreadGrid, array, arrows, pid: str, marks: str) -> str:
    """One thread's cell and its arrows, grouped so that hovering one highlights the other."""
    x, y = threads.cell_origin(thread)
    size = threads.cell
    block = thread // picture.threads_per_block
    color = block_color(block)
    index = picture.thread_of(thread)
    title = f"block {index_text(picture.block_of(thread))} thread {index_text(index)}"
    if picture.griddim[1:] == (1, 1) and picture.blockdim[1:] == (1, 1):
        title += f"\ncuda.grid(1) = {thread}"
    if marks:
        title += "\nnamed in the error report"
    stroke, stroke_width = (POOR, 3) if marks else (color, 1)
    label = ",".join(map(str, index[: 1 if picture.blockdim[1:] == (1, 1) else 2]))
    parts = [
        f'<g class="thread{marks}" id="{pid}-t{thread}"><rect class="thread-cell" '
        f'x="{x:.1f}" y="{y:.1f}" width="{size}" height="{size}" fill="{_tint(color)}" '
        f'stroke="{stroke}" stroke-width="{stroke_width}"/>'
    ]
    if size >= 16 and len(label) <= 5:
        parts.append(svg_text(x + size / 2, y + size / 2, label, 8 if len(label) <= 3 else 6))
    parts.append(f"<title>{html.escape(title)}</title>")
    for copy, flat, way, atomic in arrows:
        ex, ey = array.element_origin(array.copies.index(copy), flat)
        start, end = _ends(threads, (x, y), array, (ex, ey))
        parts.append(_arrow(start, end, way, atomic, color, block, pid))
    parts.append("</g>")
    return "".join(parts)


def _ends(threads: ThreadGrid, thread_xy, array: ArrayLayout, element_xy):
    """Arrow ends: thread cell bottom to element top, or right edge to left edge beside."""
    (tx, ty), (ex, ey) = thread_xy, element_xy
    if array.side:
        return (tx + threads.cell, ty + threads.cell / 2), (ex, ey + array.cell / 2)
    return (tx + threads.cell / 2, ty + threads.cell), (ex + array.cell / 2, ey)


def _arrow(start, end, way: str, atomic: bool, color: str, block: int, pid: str) -> str:
    css = "arrow write atomic" if atomic else f"arrow {way}"
    dash = ' stroke-dasharray="4 3"' if way == "read" else ""
    width = 2.2 if atomic else 1.2
    marker = block % len(BLOCK_COLORS)
    return (
        f'<line class="{css}" x1="{start[0]:.1f}" y1="{start[1]:.1f}" x2="{end[0]:.1f}" '
        f'y2="{end[1]:.1f}" stroke="{color}" stroke-width="{width}" opacity="0.75"{dash} '
        f'marker-end="url(#{pid}-m{marker})"/>'
    )
