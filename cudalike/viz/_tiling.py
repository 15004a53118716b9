"""`viz.tiling(numBlocks, tilingData)`: how a 1-D tensor is split over cores and tiles.

An Ascend C kernel launched as `kernel[numBlocks](..., tiling)` usually gives block i the
elements `[i * blockLength, (i + 1) * blockLength)` (the last block what remains) and walks
them `tileLength` at a time. The picture draws one row per block, one box per tile: full
tiles, the short last tile (the tail), a tail that is not a multiple of 32 bytes (moved with
DataCopyPad), idle blocks and elements no block covers. Nothing is launched.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from cudalike.viz._style import FONT, MUTED, POOR, TEXT
from cudalike.viz._svg_grid import svg_text

ALIGN = 32  # bytes: DataCopy moves whole 32-byte blocks
MAX_BLOCKS = 64
MAX_TILES = 4096
BAR_WIDTH = 640
ROW = 20
LABEL_WIDTH = 150
FULL_TILE = "#9ecae1"
TAIL_TILE = "#fdd0a2"
PADDED_TILE = "#fdae6b"
FIELDS = ("totalLength", "blockLength", "tileLength")


def _fields(tiling_data) -> tuple[int, int, int]:
    """(totalLength, blockLength, tileLength) of a tiling struct or a mapping."""
    values = []
    for name in FIELDS:
        if isinstance(tiling_data, Mapping):
            value = tiling_data.get(name)
        else:
            value = getattr(tiling_data, name, None)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(
                f"the tiling needs {name} as a non-negative int (fields {', '.join(FIELDS)}), "
                f"got {value!r}"
            )
        values.append(value)
    total, block, tile = values
    if block < 1 or tile < 1:
        raise ValueError(f"blockLength and tileLength must be at least 1, got {block}, {tile}")
    return total, block, tile


class TilingPicture:
    """The split of `totalLength` elements over `numBlocks` blocks and their tiles.

    Attributes:
        blocks: one dict per block: block, start, length (0 for an idle block) and tiles, a
            list of dicts with offset (from the block's start), length, tail and padded
            (a tail whose bytes are not a multiple of 32: DataCopyPad).
        uncovered: (first, end) of the elements no block reaches, or None.
        problems: what would go wrong on the hardware or in the results, in words.
    """

    def __init__(
        self, num_blocks: int, total: int, block_length: int, tile_length: int, itemsize: int
    ):
        self.num_blocks, self.total = num_blocks, total
        self.block_length, self.tile_length, self.itemsize = block_length, tile_length, itemsize
        self.blocks = []
        for block in range(num_blocks):
            start = block * block_length
            length = max(0, min(block_length, total - start))
            tiles = []
            for offset in range(0, length, tile_length):
                size = min(tile_length, length - offset)
                tail = size < tile_length
                tiles.append(
                    {
                        "offset": offset,
                        "length": size,
                        "tail": tail,
                        "padded": size * itemsize % ALIGN != 0,
                    }
                )
            self.blocks.append({"block": block, "start": start, "length": length, "tiles": tiles})
        covered = min(total, num_blocks * block_length)
        self.uncovered = (covered, total) if covered < total else None
        self.problems = self._problems()

    def _problems(self) -> list[str]:
        problems = []
        if self.uncovered:
            first, end = self.uncovered
            problems.append(
                f"elements {first}..{end - 1} ({end - first}) belong to no block: numBlocks x "
                f"blockLength = {self.num_blocks * self.block_length} < totalLength {self.total}; "
                "round blockLength (or numBlocks) up"
            )
        idle = [b["block"] for b in self.blocks if b["length"] == 0]
        if idle:
            problems.append(
                f"{len(idle)} block(s) get no elements (from block {idle[0]}): launch fewer"
            )
        if self.block_length * self.itemsize % ALIGN and self.num_blocks > 1:
            problems.append(
                f"blockLength {self.block_length} x {self.itemsize} bytes is not a multiple of "
                "32 bytes: every block but the first starts off a 32-byte boundary"
            )
        if self.tile_length * self.itemsize % ALIGN:
            problems.append(
                f"tileLength {self.tile_length} x {self.itemsize} bytes is not a multiple of "
                "32 bytes: every tile would need DataCopyPad"
            )
        return problems

    def to_html(self) -> str:
        """Static HTML with one inline SVG."""
        rows = self.num_blocks + (1 if self.uncovered else 0)
        width = LABEL_WIDTH + BAR_WIDTH + 12
        height = rows * ROW + 8
        scale = BAR_WIDTH / self.block_length
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="tiling" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" '
            f'style="{FONT};max-width:100%;height:auto">'
        ]
        for row, block in enumerate(self.blocks):
            y = 4 + row * ROW
            label = f"block {block['block']}: {block['length']}"
            parts.append(svg_text(LABEL_WIDTH - 6, y + ROW / 2 - 1, label, 10, TEXT, "end"))
            if not block["tiles"]:
                parts.append(
                    svg_text(
                        LABEL_WIDTH + 4, y + ROW / 2 - 1, "idle: no elements", 10, MUTED, "start"
                    )
                )
            for index, tile in enumerate(block["tiles"]):
                x = LABEL_WIDTH + tile["offset"] * scale
                w = max(tile["length"] * scale, 1.0)
                kind = "padded" if tile["padded"] else "tail" if tile["tail"] else "full"
                fill = {"full": FULL_TILE, "tail": TAIL_TILE, "padded": PADDED_TILE}[kind]
                first = block["start"] + tile["offset"]
                title = (
                    f"block {block['block']}, tile {index}: elements {first}.."
                    f"{first + tile['length'] - 1} ({tile['length']}, "
                    f"{tile['length'] * self.itemsize} bytes)"
                    + (", DataCopyPad" if tile["padded"] else "")
                )
                parts.append(
                    f'<g class="tile {kind}"><rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
                    f'height="{ROW - 4}" fill="{fill}" stroke="#ffffff"/>'
                    f"<title>{html.escape(title)}</title></g>"
                )
        if self.uncovered:
            first, end = self.uncovered
            y = 4 + self.num_blocks * ROW
            w = min((end - first) * scale, BAR_WIDTH)
            parts.append(svg_text(LABEL_WIDTH - 6, y + ROW / 2 - 1, "no block", 10, POOR, "end"))
            parts.append(
                f'<g class="uncovered"><rect x="{LABEL_WIDTH}" y="{y:.1f}" width="{w:.1f}" '
                f'height="{ROW - 4}" fill="{POOR}"/><title>elements {first}..{end - 1} are '
                "never processed</title></g>"
            )
        parts.append("</svg>")
        tiles = sum(len(b["tiles"]) for b in self.blocks)
        legend = (
            f'<div style="{FONT};color:{TEXT}">{self.total} elements of {self.itemsize} bytes '
            f"over {self.num_blocks} block(s) of blockLength {self.block_length}, tileLength "
            f"{self.tile_length}: {tiles} tiles. "
            f'<span style="background:{FULL_TILE}">&nbsp;full tile&nbsp;</span> '
            f'<span style="background:{TAIL_TILE}">&nbsp;short tail&nbsp;</span> '
            f'<span style="background:{PADDED_TILE}">&nbsp;tail not a multiple of 32 bytes '
            "(DataCopyPad)&nbsp;</span> Hover a tile for its elements.</div>"
        )
        notes = "".join(
            f'<div style="{FONT};color:{POOR}">✗ {html.escape(p)}</div>' for p in self.problems
        )
        return f'<div class="cudalike-tiling">{legend}{notes}{"".join(parts)}</div>'

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        tiles = sum(len(b["tiles"]) for b in self.blocks)
        return (
            f"<tiling {self.total} elements: {self.num_blocks} blocks x {self.block_length}, "
            f"tiles of {self.tile_length}: {tiles} tiles, {len(self.problems)} problem(s)>"
        )


def tiling(num_blocks: int, tiling_data, *, itemsize: int = 2) -> TilingPicture:
    """The picture of `kernel[num_blocks](..., tiling_data)` over a 1-D tensor.

    `tiling_data` is any struct (or mapping) with `totalLength`, `blockLength` and
    `tileLength`, as the vendor's samples name them; `itemsize` is the element size in bytes
    (2 for half). Raises ValueError for missing fields or a split too big to draw.
    """
    if not isinstance(num_blocks, int) or num_blocks < 1:
        raise ValueError(f"numBlocks must be a positive int, got {num_blocks!r}")
    total, block_length, tile_length = _fields(tiling_data)
    if num_blocks > MAX_BLOCKS:
        raise ValueError(
            f"too big to draw: {num_blocks} blocks; draw at most {MAX_BLOCKS} (a smaller case)"
        )
    tiles = num_blocks * -(-block_length // tile_length)
    if tiles > MAX_TILES:
        raise ValueError(
            f"too big to draw: {tiles} tiles; draw at most {MAX_TILES} (larger tiles or fewer "
            "elements)"
        )
    return TilingPicture(num_blocks, total, block_length, tile_length, itemsize)
