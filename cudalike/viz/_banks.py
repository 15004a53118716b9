"""`picture.banks(name)`: shared-memory bank use per warp, from a recorded launch.

Shared memory is 32 banks of 4-byte words: word `w` lives in bank `w % 32`. A warp's access
is served in as many passes (wavefronts) as the most distinct words any one bank must
deliver: that number is the access's conflict degree (1 = no conflict; many lanes reading
the same word is a broadcast, not a conflict). The profiler's bank-conflict counter
(`l1tex__data_bank_conflicts_pipe_lsu_mem_shared.sum`) is the sum of (degree - 1) over
the warps' accesses. Arrays are placed one after another in declaration order, each aligned
to 16 bytes, as the profiler places them.
"""

from __future__ import annotations

import html

import numpy as np

from cudalike.viz._style import FONT, MONO, MUTED, POOR, TEXT

BANKS = 32
WARP = 32
MAX_ROWS_DRAWN = 128


class BankUse:
    """Bank use of one shared array: `.table` (one row per warp per access) and a picture.

    Each row of `.table` is a dict: warp (within its block), block (x, y, z), line, source,
    access ("read", "write" or "atomic"), degree, words_per_bank (32 counts of distinct
    words) and lanes (how many of the warp's threads took part).
    """

    def __init__(self, picture, name: str):
        self.name = name
        self.kernel = picture.kernel
        offset = _offsets(picture)[name]
        itemsize = picture.recorded_arrays[name].itemsize
        span = max(1, itemsize // 4)
        per_block = picture.threads_per_block
        self.table: list[dict] = []
        for event in picture.events:
            if event.array != name:
                continue
            line, source = picture.line_of(event.site)
            first_word = (offset + event.elements * itemsize) // 4
            words = (first_word[:, None] + np.arange(span)).reshape(-1)
            threads = np.repeat(event.threads, span)
            warps = (threads // per_block) * per_block + (threads % per_block) // WARP * WARP
            for warp_key in np.unique(warps).tolist():
                chosen = np.unique(words[warps == warp_key])
                counts = np.bincount(chosen % BANKS, minlength=BANKS)
                block = warp_key // per_block
                self.table.append(
                    {
                        "warp": (warp_key % per_block) // WARP,
                        "block": picture.block_of(block * per_block),
                        "line": line,
                        "source": source,
                        "access": event.kind,
                        "degree": int(max(1, counts.max())),
                        "words_per_bank": counts.tolist(),
                        "lanes": int(np.count_nonzero(warps == warp_key)) // span,
                    }
                )

    def conflicts(self, line: int | None = None) -> int:
        """Extra passes beyond one per warp access (the profiler's bank-conflict count)."""
        return sum(r["degree"] - 1 for r in self.table if line is None or r["line"] == line)

    def to_html(self) -> str:
        """One 32-column strip per warp access: darker = more distinct words in that bank."""
        rows = self.table[:MAX_ROWS_DRAWN]
        cell, label_w, row_h = 14, 330, 18
        width = label_w + BANKS * cell + 80
        height = 22 + row_h * len(rows)
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="banks" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" '
            f'style="{FONT};max-width:100%;height:auto">'
        ]
        for bank in range(0, BANKS, 4):
            x = label_w + bank * cell + cell / 2
            parts.append(
                f'<text x="{x}" y="12" font-size="9" fill="{MUTED}" '
                f'text-anchor="middle">{bank}</text>'
            )
        for k, row in enumerate(rows):
            y = 20 + k * row_h
            label = (
                f"line {row['line']} {row['access']}, block {_fmt(row['block'])} warp {row['warp']}"
            )
            parts.append(
                f'<text x="0" y="{y + 10}" font-size="10" fill="{TEXT}">{html.escape(label)}</text>'
            )
            for bank, count in enumerate(row["words_per_bank"]):
                shade = _shade(count)
                title = f"bank {bank}: {count} distinct word(s)"
                parts.append(
                    f'<rect class="bank" x="{label_w + bank * cell}" y="{y}" width="{cell - 1}" '
                    f'height="{row_h - 3}" fill="{shade}" stroke="#dddddd">'
                    f"<title>{title}</title></rect>"
                )
            color = POOR if row["degree"] > 1 else MUTED
            text = "no conflict" if row["degree"] == 1 else f"{row['degree']}-way"
            parts.append(
                f'<text x="{label_w + BANKS * cell + 6}" y="{y + 10}" font-size="10" '
                f'fill="{color}">{text}</text>'
            )
        parts.append("</svg>")
        note = ""
        if len(self.table) > len(rows):
            note = f"; the first {len(rows)} of {len(self.table)} warp accesses are drawn"
        head = (
            f'<div style="{FONT};color:{TEXT}">Bank use of shared array <span style="{MONO}">'
            f"{html.escape(self.name)}</span> in kernel {html.escape(self.kernel)}: one row "
            "per warp access, one column per bank, darker = more distinct 4-byte words the "
            f"bank must serve. {self.conflicts()} bank conflicts in all{note}.</div>"
        )
        return f'<div class="cudalike-banks">{head}{"".join(parts)}</div>'

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        worst = max((r["degree"] for r in self.table), default=1)
        return (
            f"<bank use of '{self.name}': {len(self.table)} warp accesses, worst degree "
            f"{worst}, {self.conflicts()} conflicts>"
        )


def _offsets(picture) -> dict[str, int]:
    """Byte offset of each shared array: first accessed first, each aligned to 16 bytes."""
    offsets: dict[str, int] = {}
    end = 0
    for event in picture.events:
        info = picture.recorded_arrays[event.array]
        if info.space != "shared" or event.array in offsets:
            continue
        offsets[event.array] = end
        size = int(np.prod(info.shape, dtype=np.int64)) * info.itemsize
        end += -(-size // 16) * 16
    return offsets


def _shade(count: int) -> str:
    """White for an unused bank, light blue for one word, darkening to 32 words (log scale)."""
    if count == 0:
        return "#ffffff"
    fraction = min(1.0, np.log2(count) / 5)
    red, green, blue = (
        round(198 - 170 * fraction),
        round(219 - 190 * fraction),
        239 - 150 * fraction,
    )
    return f"rgb({red},{green},{round(blue)})"


def _fmt(values) -> str:
    return "(" + ", ".join(str(int(v)) for v in values) + ")"
