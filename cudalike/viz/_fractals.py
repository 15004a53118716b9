"""`viz.fractals(rows, cols, layout)`: where each element of a small matrix lies in cube memory.

The cube unit moves and multiplies fractals, 16 rows of C0 = 32 bytes (16 x 16 halves), and
each of its buffers stores a matrix in its own order: ND in GM (row-major), NZ in L1 and L0C
(column strips C0 wide), zZ in L0A (fractals row-major, each row-major) and nZ in L0B
(fractals row-major, each stored column-major, the per-fractal transpose LoadData's
ifTranspose makes). The picture draws the matrix, one colour per fractal, each cell shaded by
its place inside the fractal and labelled with its element offset in the buffer, so the order
can be read off; padding the layout adds to reach whole fractals is grey. Nothing is launched;
the offsets are those of `cudalike.cann.fractal`, which the cube instructions use.
"""

from __future__ import annotations

import html

import numpy as np

from cudalike.cann.fractal import FRACTAL, c0, ceil_to
from cudalike.viz._style import FONT, MUTED, TEXT
from cudalike.viz._svg_grid import block_color, svg_text

LAYOUTS = {
    "ND": "GM: row-major, no padding",
    "NZ": "L1 and L0C: column strips C0 wide, each strip's rows one after another",
    "zZ": "L0A: fractals in row-major order, each fractal row-major",
    "nZ": "L0B: fractals in row-major order, each fractal column-major (transposed)",
}
MAX_CELLS = 4096
MAX_LABELLED = 1024
CELL = 22
MARGIN = 34
PADDING_FILL = "#eeeeee"


def layout_offsets(rows: int, cols: int, layout: str, dtype=np.float16) -> np.ndarray:
    """Element offset in the buffer of each element of a rows x cols matrix stored as `layout`.

    The result covers the matrix padded to whole fractals (ND: not padded), as an int array.
    """
    width = c0(dtype)
    r, c = np.indices(_padded_shape(rows, cols, layout, width))
    if layout == "ND":
        return r * cols + c
    if layout == "NZ":
        height = r.shape[0]
        return (c // width) * height * width + r * width + c % width
    if layout == "zZ":
        per_row = r.shape[1] // width
        fractal = (r // FRACTAL) * per_row + c // width
        return fractal * FRACTAL * width + (r % FRACTAL) * width + c % width
    if layout == "nZ":
        per_row = r.shape[1] // FRACTAL
        fractal = (r // width) * per_row + c // FRACTAL
        return fractal * FRACTAL * width + (c % FRACTAL) * width + r % width
    raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")


def _padded_shape(rows: int, cols: int, layout: str, width: int) -> tuple[int, int]:
    """The matrix's shape in `layout`: rows and columns rounded up to whole fractals."""
    if layout == "ND":
        return rows, cols
    if layout == "nZ":  # a k x n matrix: k in C0 blocks, n in 16s
        return ceil_to(rows, width), ceil_to(cols, FRACTAL)
    return ceil_to(rows, FRACTAL), ceil_to(cols, width)


class FractalPicture:
    """A rows x cols matrix in one cube layout.

    Attributes:
        rows, cols: the matrix; layout: "ND", "NZ", "zZ" or "nZ"; c0: columns of a fractal.
        offsets: element offset of each (padded) element in the buffer.
        fractal_of: index of the fractal holding each (padded) element, in memory order
            (-1 for ND, which has none).
    """

    def __init__(self, rows: int, cols: int, layout: str, dtype):
        self.rows, self.cols, self.layout = rows, cols, layout
        self.c0 = c0(dtype)
        self.itemsize = np.dtype(dtype).itemsize
        self.offsets = layout_offsets(rows, cols, layout, dtype)
        fractal_elements = FRACTAL * self.c0
        if layout == "ND":
            self.fractal_of = np.full(self.offsets.shape, -1)
        else:
            self.fractal_of = self.offsets // fractal_elements
        self._inside = self.offsets % fractal_elements

    def to_html(self) -> str:
        """Static HTML with one inline SVG."""
        height, width = self.offsets.shape
        labelled = height * width <= MAX_LABELLED
        svg_w, svg_h = MARGIN + width * CELL + 8, MARGIN + height * CELL + 8
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="fractals" width="{svg_w}" '
            f'height="{svg_h}" viewBox="0 0 {svg_w} {svg_h}" '
            f'style="{FONT};max-width:100%;height:auto">'
        ]
        for c in range(0, width, 4):
            parts.append(svg_text(MARGIN + (c + 0.5) * CELL, MARGIN - 6, str(c), 9, MUTED))
        for r in range(0, height, 4):
            parts.append(svg_text(MARGIN - 4, MARGIN + (r + 0.6) * CELL, str(r), 9, MUTED, "end"))
        fractal_elements = FRACTAL * self.c0
        for r in range(height):
            for c in range(width):
                offset = int(self.offsets[r, c])
                padding = r >= self.rows or c >= self.cols
                if padding:
                    fill, opacity, kind = PADDING_FILL, 1.0, "padding"
                else:
                    fractal = int(self.fractal_of[r, c])
                    fill = block_color(max(fractal, 0))
                    opacity = 0.2 + 0.7 * int(self._inside[r, c]) / fractal_elements
                    kind = "element"
                title = f"({r}, {c}) at element {offset} of the {self.layout} buffer"
                if self.layout != "ND":
                    title += (
                        f", fractal {int(self.fractal_of[r, c])}, "
                        f"position {int(self._inside[r, c])} inside it"
                    )
                if padding:
                    title += ": padding to a whole fractal"
                x, y = MARGIN + c * CELL, MARGIN + r * CELL
                parts.append(
                    f'<g class="{kind}"><rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" '
                    f'fill="{fill}" fill-opacity="{opacity:.2f}" stroke="#ffffff"/>'
                    f"<title>{html.escape(title)}</title></g>"
                )
                if labelled:
                    parts.append(svg_text(x + CELL / 2, y + CELL * 0.65, str(offset), 7, TEXT))
        if self.layout != "ND":
            parts.extend(self._fractal_borders(height, width))
        parts.append("</svg>")
        legend = (
            f'<div style="{FONT};color:{TEXT}">{self.rows} x {self.cols} matrix of '
            f"{self.itemsize}-byte elements in {self.layout} "
            f"({html.escape(LAYOUTS[self.layout])}). "
            "Each cell shows its element offset in the buffer; one colour per fractal "
            f"(16 x {self.c0} elements, 512 bytes), darker later inside it; grey: padding. "
            "Hover a cell for its fractal.</div>"
        )
        return f'<div class="cudalike-fractals">{legend}{"".join(parts)}</div>'

    def _fractal_borders(self, height: int, width: int) -> list[str]:
        tall, wide = (self.c0, FRACTAL) if self.layout == "nZ" else (FRACTAL, self.c0)
        return [
            f'<rect x="{MARGIN + c * CELL}" y="{MARGIN + r * CELL}" width="{wide * CELL}" '
            f'height="{tall * CELL}" fill="none" stroke="{TEXT}" stroke-width="1.5"/>'
            for r in range(0, height, tall)
            for c in range(0, width, wide)
        ]

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        fractals = int(self.fractal_of.max()) + 1
        return f"<fractals {self.rows} x {self.cols} in {self.layout}: {fractals} fractal(s)>"


def fractals(rows: int, cols: int, layout: str = "zZ", *, dtype=np.float16) -> FractalPicture:
    """The picture of a rows x cols matrix of `dtype` stored in cube layout `layout`.

    `layout` is "ND" (GM), "NZ" (L1, L0C), "zZ" (L0A) or "nZ" (L0B, rows are K). Raises
    ValueError for an unknown layout, a shape that is not positive or one too big to draw.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    for name, value in (("rows", rows), ("cols", cols)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    height, width = _padded_shape(rows, cols, layout, c0(dtype))
    if height * width > MAX_CELLS:
        raise ValueError(
            f"too big to draw: {height} x {width} elements; draw at most {MAX_CELLS} "
            "(a smaller matrix)"
        )
    return FractalPicture(rows, cols, layout, dtype)
