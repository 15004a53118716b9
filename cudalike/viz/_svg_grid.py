"""Geometry shared by the access and layout pictures: where threads and elements are drawn.

`ThreadGrid` places a launch's blocks as its grid and each block's threads as the block;
`ArrayLayout` places an array's elements, one grid of cells per copy (shared memory has one
copy per block). Both only compute positions and small SVG pieces; the pictures compose them.
"""

from __future__ import annotations

import html

import numpy as np

from cudalike.viz._style import TEXT

BLOCK_COLORS = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
)
MAX_CELLS = 1024  # elements drawn per copy of an array; the rest are listed as left out
MARGIN = 12
LABEL = 14


def block_color(block_linear: int) -> str:
    """Colour of a block (cycling through eight)."""
    return BLOCK_COLORS[block_linear % len(BLOCK_COLORS)]


def svg_text(
    x: float, y: float, text: str, size: int = 9, color: str = TEXT, anchor="middle"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{color}" '
        f'text-anchor="{anchor}" dominant-baseline="central">{html.escape(text)}</text>'
    )


def index_text(values) -> str:
    return "(" + ", ".join(str(int(v)) for v in values) + ")"


def fit_cells(cells: int, width: int = 1400, largest: int = 24, smallest: int = 6) -> int:
    return max(smallest, min(largest, width // max(1, cells)))


class ThreadGrid:
    """Where each thread of the launch is drawn: blocks as the grid, threads as the block."""

    def __init__(self, griddim: tuple, blockdim: tuple, top: float = LABEL + 4, largest=24):
        gx, gy, gz = griddim
        bx, by, bz = blockdim
        self.griddim, self.blockdim = griddim, blockdim
        self.cell = fit_cells(gx * (bx + 1), largest=largest)
        self.pad = 4
        self.block_w = bx * self.cell + 2 * self.pad
        self.block_h = by * bz * self.cell + 2 * self.pad
        self.top = top
        self.width = MARGIN + gx * (self.block_w + 8)
        self.height = top + gy * gz * (self.block_h + LABEL + 6)

    def block_origin(self, block: int) -> tuple[float, float]:
        gx, gy, _ = self.griddim
        column, row = block % gx, block // gx
        x = MARGIN + column * (self.block_w + 8)
        y = self.top + row * (self.block_h + LABEL + 6) + LABEL
        return x, y

    def cell_origin(self, thread: int) -> tuple[float, float]:
        bx, by, bz = self.blockdim
        per_block = bx * by * bz
        block, linear = divmod(int(thread), per_block)
        x, y = self.block_origin(block)
        return x + self.pad + (linear % bx) * self.cell, y + self.pad + (linear // bx) * self.cell

    def blocks_svg(self) -> str:
        """The block boxes with their blockIdx labels."""
        gx, gy, gz = self.griddim
        parts = []
        for block in range(gx * gy * gz):
            x, y = self.block_origin(block)
            index = (block % gx, block // gx % gy, block // (gx * gy))
            label = "blockIdx " + short_index(index, self.griddim)
            color = block_color(block)
            parts.append(
                f'<rect class="block" x="{x:.1f}" y="{y:.1f}" width="{self.block_w}" '
                f'height="{self.block_h}" fill="none" stroke="{color}" stroke-width="1.5" rx="3"/>'
            )
            parts.append(svg_text(x + 2, y - LABEL / 2 - 1, label, 10, color, "start"))
        return "".join(parts)


def short_index(index: tuple, dims: tuple) -> str:
    """An index with as many components as the launch uses: 3, (1, 2) or (1, 2, 0)."""
    used = 3 if dims[2] > 1 else 2 if dims[1] > 1 else 1
    return str(int(index[0])) if used == 1 else index_text(index[:used])


class ArrayLayout:
    """Where each element of one array is drawn: one grid of cells per copy."""

    def __init__(self, info, copies: list[int], top: float, width_hint: int, left: float = 0):
        shape = info.shape or (1,)
        self.shape = shape
        self.cols = int(shape[-1])
        self.rows = int(np.prod(shape[:-1], dtype=np.int64)) if len(shape) > 1 else 1
        if self.cols >= MAX_CELLS:
            self.shown_rows, self.shown_cols = 1, MAX_CELLS
        else:
            self.shown_rows, self.shown_cols = min(self.rows, MAX_CELLS // self.cols), self.cols
        self.copies = copies
        per_row = self.shown_cols + 2
        self.cell = fit_cells(len(copies) * per_row, max(width_hint, 600), 24, 5)
        self.copy_w = per_row * self.cell
        self.top = top + LABEL
        self.height = LABEL + (self.shown_rows + 2) * self.cell + 8
        self.left = left
        self.side = left > 0  # beside the threads (2-D arrays), not below them
        self.width = left + MARGIN + len(copies) * (self.copy_w + 10)

    def shown(self, flat: int) -> bool:
        row, col = divmod(int(flat), self.cols)
        return row < self.shown_rows and col < self.shown_cols

    def cell_origin(self, copy_index: int, row: int, col: int) -> tuple[float, float]:
        x = self.left + MARGIN + copy_index * (self.copy_w + 10) + (col + 1) * self.cell
        return x, self.top + (row + 1) * self.cell

    def element_origin(self, copy_index: int, flat: int) -> tuple[float, float]:
        row, col = divmod(int(flat), self.cols)
        return self.cell_origin(copy_index, row, col)

    def ghost_position(self, element: tuple) -> tuple[int, int]:
        """Row and column of a ghost cell for an index outside the shape, next to the edge."""
        if len(self.shape) == 1:
            row, col = 0, element[-1]
        else:
            row = int(np.ravel_multi_index(element[:-1], self.shape[:-1], mode="clip"))
            if element[-2] >= self.shape[-2]:
                row = self.shown_rows
            elif element[-2] < 0:
                row = -1
            row, col = row, element[-1]
        col = max(-1, min(col, self.shown_cols))
        row = max(-1, min(row, self.shown_rows))
        return row, col
