"""`viz.layout(grid, block)`: a picture of a launch's blocks, warps and thread indices.

Blocks are boxes labelled with their `blockIdx`, laid out as the grid; inside, one cell per
thread labelled with its `threadIdx` and global index (`cuda.grid(1)` for a 1-D launch,
`(col, row)` = `cuda.grid(2)` for a 2-D one), coloured by warp: 32 consecutive threads in
x-fastest order, so a warp of a 16 x 16 block spans two rows. Nothing is launched.
"""

from __future__ import annotations

import html

from cudalike.viz._style import FONT, MUTED, TEXT
from cudalike.viz._svg_grid import MARGIN, ThreadGrid, index_text, short_index, svg_text

MAX_THREADS = 4096
LABEL_TOP = 18
WARP_COLORS = (
    "#c6dbef",
    "#fdd0a2",
    "#c7e9c0",
    "#dadaeb",
    "#fcbba1",
    "#f2d2e6",
    "#c2eff4",
    "#eeeeb0",
)


def _dims(what: str, value) -> tuple[int, int, int]:
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,)
    if not 1 <= len(values) <= 3 or not all(isinstance(v, int) and v >= 1 for v in values):
        raise ValueError(
            f"{what} must be a positive int or a tuple of 1 to 3 of them, not {value!r}"
        )
    return tuple(values) + (1,) * (3 - len(values))


class Layout:
    """The picture of one launch shape; `.cells` lists each thread drawn.

    Attributes:
        griddim, blockdim: (x, y, z) dimensions of the launch.
        cells: one dict per thread: block, thread, warp (within its block), global index.
    """

    def __init__(self, griddim: tuple, blockdim: tuple):
        self.griddim, self.blockdim = griddim, blockdim
        self.threads_per_block = blockdim[0] * blockdim[1] * blockdim[2]
        gx, gy, gz = griddim
        bx, by, _ = blockdim
        self.cells = []
        for block in range(gx * gy * gz):
            block_index = (block % gx, block // gx % gy, block // (gx * gy))
            for linear in range(self.threads_per_block):
                thread = (linear % bx, linear // bx % by, linear // (bx * by))
                if griddim[1:] == (1, 1) and blockdim[1:] == (1, 1):
                    global_index = (block * bx + linear,)
                else:
                    global_index = (
                        block_index[0] * bx + thread[0],
                        block_index[1] * by + thread[1],
                    )
                self.cells.append(
                    {
                        "block": block_index,
                        "thread": thread,
                        "warp": linear // 32,
                        "global": global_index,
                        "linear": block * self.threads_per_block + linear,
                    }
                )

    def to_html(self) -> str:
        """Static HTML with one inline SVG."""
        grid = ThreadGrid(self.griddim, self.blockdim, top=LABEL_TOP, largest=36)
        one_d = self.griddim[1:] == (1, 1) and self.blockdim[1:] == (1, 1)
        size = grid.cell
        width, height = grid.width + MARGIN, grid.height + MARGIN
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="layout" width="{width:.0f}" '
            f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'style="{FONT};max-width:100%;height:auto">',
            grid.blocks_svg(),
        ]
        for cell in self.cells:
            x, y = grid.cell_origin(cell["linear"])
            warp = cell["warp"]
            shown_global = ",".join(map(str, cell["global"]))
            title = (
                f"blockIdx {index_text(cell['block'])}, threadIdx {index_text(cell['thread'])}, "
                f"warp {warp} of its block, "
                + (
                    f"cuda.grid(1) = {shown_global}"
                    if one_d
                    else f"cuda.grid(2) = ({shown_global})"
                )
            )
            parts.append(
                f'<g class="lane warp-{warp}"><rect x="{x:.1f}" y="{y:.1f}" width="{size}" '
                f'height="{size}" fill="{WARP_COLORS[warp % len(WARP_COLORS)]}" stroke="#ffffff"/>'
            )
            if size >= 20:
                label = ",".join(map(str, cell["thread"][: 1 if one_d else 2]))
                parts.append(svg_text(x + size / 2, y + size * 0.33, label, 8, TEXT))
                parts.append(svg_text(x + size / 2, y + size * 0.72, shown_global, 7, MUTED))
            parts.append(f"<title>{html.escape(title)}</title></g>")
        parts.append("</svg>")
        grid = short_index(self.griddim, self.griddim)
        block = short_index(self.blockdim, self.blockdim)
        legend = (
            f'<div style="{FONT};color:{TEXT}">grid {grid}, block {block}: '
            f"{len(self.cells)} threads. Each cell is a thread: threadIdx on top, "
            + ("cuda.grid(1)" if one_d else "cuda.grid(2) = (col, row)")
            + " below; a colour is a warp (32 consecutive threads, x fastest). Hover a cell for "
            "its indices.</div>"
        )
        return f'<div class="cudalike-layout">{legend}{"".join(parts)}</div>'

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return f"<layout grid {self.griddim} block {self.blockdim}: {len(self.cells)} threads>"


def layout(grid, block) -> Layout:
    """The picture of a launch `kernel[grid, block]`: blocks, warps and thread indices.

    `grid` and `block` are ints or tuples of 1 to 3 ints, as in a launch. Launches of more
    than 4096 threads raise ValueError (too many cells to draw).
    """
    griddim, blockdim = _dims("grid", grid), _dims("block", block)
    threads = griddim[0] * griddim[1] * griddim[2] * blockdim[0] * blockdim[1] * blockdim[2]
    if threads > MAX_THREADS:
        raise ValueError(
            f"too big to draw: {threads} threads; draw a launch of at most {MAX_THREADS} "
            "threads, e.g. fewer blocks"
        )
    return Layout(griddim, blockdim)
