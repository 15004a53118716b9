"""`viz.repeats(mask, repeatTimes, repeatParams)`: which elements one repeat-form call touches.

A repeat-form vector instruction (`Add(dst, src0, src1, mask, repeatTimes, params)`) works
on 256 bytes per repeat: 8 blocks of 32 bytes, lanes enabled by the mask, blocks
`BlkStride` blocks apart and repeats `RepStride` blocks apart. The picture draws each
operand as rows of 256 bytes, one cell per element, coloured by the repeat that reads or
writes it: gaps from strides, lanes the mask leaves out, elements several repeats share
(a zero repeat stride) and elements past a tensor's end stand out. Nothing is launched;
the lane arithmetic is the runtime's own (`cudalike/cann/vector_repeat.py`).
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import numpy as np

from cudalike.cann.errors import CannKernelError
from cudalike.cann.vector_repeat import (
    BLOCK_BYTES,
    MAX_REPEAT_TIMES,
    BinaryRepeatParams,
    UnaryRepeatParams,
    active_lanes,
    lanes_per_repeat,
)
from cudalike.viz._style import FONT, MUTED, POOR, TEXT
from cudalike.viz._svg_grid import BLOCK_COLORS, svg_text

MAX_ROWS = 64  # rows of 256 bytes drawn per operand
CELL = 5
BLOCK_GAP = 3
ROW = 12
LABEL_WIDTH = 64
SHARED = "#444444"
UNTOUCHED = "#f3f3f3"
PAST_END = "#fcdcdc"


def _operands(params) -> list[tuple[str, int, int]]:
    """(role, block stride, repeat stride) of each operand of a repeat-params struct."""
    if isinstance(params, BinaryRepeatParams):
        roles = ("dst", "src0", "src1")
    elif isinstance(params, UnaryRepeatParams):
        roles = ("dst", "src")
    else:
        raise ValueError(
            "repeatParams must be a cann.BinaryRepeatParams or cann.UnaryRepeatParams, got "
            f"{type(params).__name__}"
        )
    operands = []
    for role, (block_stride, repeat_stride) in zip(roles, params.strides(), strict=True):
        if int(block_stride) < 0 or int(repeat_stride) < 0:
            raise ValueError(f"{role} strides ({block_stride}, {repeat_stride}) are negative")
        operands.append((role, int(block_stride), int(repeat_stride)))
    return operands


class RepeatsPicture:
    """The elements each operand of one repeat-form call touches, repeat by repeat.

    Attributes:
        lanes: the lanes (within a repeat) the mask enables.
        touched: role -> int array (repeatTimes, active lanes) of element indices.
        lengths: role -> the operand's length in elements, or None when not given.
        problems: what the runtime would refuse or what surprises, in words.
    """

    def __init__(self, lanes: np.ndarray, repeat_times: int, operands, dtype, lengths):
        self.dtype = np.dtype(dtype)
        self.lanes, self.repeat_times = lanes, repeat_times
        self.per_block = BLOCK_BYTES // self.dtype.itemsize
        self.per_repeat = lanes_per_repeat(self.dtype)
        self.strides = {role: (block, repeat) for role, block, repeat in operands}
        in_repeat = (lanes // self.per_block) * self.per_block
        self.touched = {}
        for role, block, repeat in operands:
            offsets = in_repeat * block + lanes % self.per_block
            starts = np.arange(repeat_times) * repeat * self.per_block
            self.touched[role] = starts[:, None] + offsets[None, :]
        self.lengths = {role: lengths.get(role) for role in self.touched}
        self.problems = self._problems()

    def _problems(self) -> list[str]:
        problems = []
        for role, at in self.touched.items():
            length = self.lengths[role]
            if length is not None and at.size and at.max() >= length:
                bad = int(np.argmax((at >= length).any(axis=1)))
                problems.append(
                    f"{role}: repeat {bad} of {self.repeat_times} reaches element "
                    f"{int(at[bad].max())}, past the {length} elements of the tensor"
                )
            if self.repeat_times > 1 and self.strides[role][1] == 0:
                verb = "accumulate into" if role == "dst" else "read"
                problems.append(
                    f"{role}: repeat stride 0, so all {self.repeat_times} repeats {verb} the "
                    "same elements (in order, one after another)"
                )
        return [p for p in problems if "past" in p] + [p for p in problems if "past" not in p]

    def _rows(self, role: str) -> int:
        at = self.touched[role]
        last = int(at.max()) + 1 if at.size else 0
        length = self.lengths[role] or 0
        return max(1, -(-max(last, length) // self.per_repeat))

    def _operand_svg(self, role: str) -> str:
        """One operand: rows of 256 bytes, runs of elements drawn as one rectangle each."""
        at, length = self.touched[role], self.lengths[role]
        rows = min(self._rows(role), MAX_ROWS)
        size = rows * self.per_repeat
        owners: list[list[int]] = [[] for _ in range(size)]
        for repeat, indices in enumerate(at):
            for index in indices[indices < size]:
                owners[int(index)].append(repeat)
        blocks_per_row = self.per_repeat // self.per_block
        width = LABEL_WIDTH + self.per_repeat * CELL + blocks_per_row * BLOCK_GAP + 8
        height = rows * ROW + 4
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="repeats {role}" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" style="{FONT};max-width:100%">'
        ]
        for row in range(rows):
            y = 2 + row * ROW
            first = row * self.per_repeat
            parts.append(svg_text(LABEL_WIDTH - 6, y + ROW / 2 - 1, str(first), 9, MUTED, "end"))
            start = 0
            for lane in range(1, self.per_repeat + 1):
                index = first + lane
                same_block = lane % self.per_block != 0 and index != length
                if lane < self.per_repeat and same_block and owners[index] == owners[index - 1]:
                    continue
                past = length is not None and first + start >= length
                parts.append(self._run(first + start, lane - start, owners[first + start], y, past))
                start = lane
            if length is not None and length < first + self.per_repeat:
                end = max(length - first, 0)
                x = self._x(end)
                parts.append(
                    f'<line class="end" x1="{x - 1:.1f}" y1="{y - 1}" x2="{x - 1:.1f}" '
                    f'y2="{y + ROW - 1}" stroke="{POOR}" stroke-width="2"/>'
                )
        parts.append("</svg>")
        block, repeat = self.strides[role]
        end = f", {length} elements" if length is not None else ""
        caption = (
            f'<div style="{FONT};color:{TEXT}"><b>{role}</b>: block stride {block}, repeat '
            f"stride {repeat} (in 32-byte blocks){end}</div>"
        )
        return caption + "".join(parts)

    def _x(self, lane: int) -> float:
        return LABEL_WIDTH + lane * CELL + (lane // self.per_block) * BLOCK_GAP

    def _run(self, first: int, count: int, owners: list[int], y: float, past: bool) -> str:
        """A rectangle over `count` elements from `first` that the same repeats touch;
        `past`: the elements lie beyond the tensor's end (tinted, or outlined in red)."""
        lane = first % self.per_repeat
        x, w = self._x(lane), count * CELL - 1
        span = f"elements {first}..{first + count - 1}" + (" (past the end)" if past else "")
        if not owners:
            return (
                f'<rect x="{x:.1f}" y="{y}" width="{w}" height="{ROW - 2}" '
                f'fill="{PAST_END if past else UNTOUCHED}">'
                f"<title>{span}: not touched</title></rect>"
            )
        kind = "shared" if len(owners) > 1 else "single"
        fill = SHARED if len(owners) > 1 else BLOCK_COLORS[owners[0] % len(BLOCK_COLORS)]
        which = ", ".join(str(r) for r in owners[:8]) + (", ..." if len(owners) > 8 else "")
        label = "repeats" if len(owners) > 1 else "repeat"
        outline = f' stroke="{POOR}" stroke-width="2"' if past else ""
        return (
            f'<g class="run {kind}"><rect x="{x:.1f}" y="{y}" width="{w}" height="{ROW - 2}" '
            f'fill="{fill}"{outline}/><title>{span}: {label} {which}</title></g>'
        )

    def to_html(self) -> str:
        """Static HTML: a legend, the problems and one inline SVG per operand."""
        legend = (
            f'<div style="{FONT};color:{TEXT}">{self.repeat_times} repeat(s) of '
            f"{self.per_repeat} {self.dtype} lanes ({len(self.lanes)} enabled by the mask); "
            f"rows of 256 bytes, gaps between 32-byte blocks. Colour = the repeat that touches "
            f'an element; <span style="background:{SHARED};color:white">&nbsp;dark&nbsp;</span>'
            f" = several repeats; red line and tint: past the tensor's end. Hover a run for its "
            "elements.</div>"
        )
        notes = "".join(
            f'<div style="{FONT};color:{POOR if "past" in p else MUTED}">'
            f"{'✗' if 'past' in p else '•'} {html.escape(p)}</div>"
            for p in self.problems
        )
        operands = "".join(self._operand_svg(role) for role in self.touched)
        return f'<div class="cudalike-repeats">{legend}{notes}{operands}</div>'

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return (
            f"<repeats {self.repeat_times} x {len(self.lanes)} of {self.per_repeat} "
            f"{self.dtype} lanes over {', '.join(self.touched)}: "
            f"{len(self.problems)} note(s)>"
        )


def repeats(
    mask,
    repeatTimes: int,
    repeatParams,
    *,
    dtype=np.float16,
    lengths: Mapping[str, int] | int | None = None,
) -> RepeatsPicture:
    """The picture of one repeat-form call's `mask, repeatTimes, repeatParams`.

    `mask` is an int (the first k lanes) or `[low, high]` uint64 words, as the instruction
    takes it; `repeatParams` a `cann.BinaryRepeatParams` (operands dst, src0, src1) or
    `cann.UnaryRepeatParams` (dst, src); `dtype` the element type (half by default);
    `lengths` the operands' lengths in elements (one int for all, or a mapping by role), to
    mark each tensor's end and report repeats that run past it. Raises ValueError for a
    mask, repeat count or stride the instruction would refuse.
    """
    try:
        lanes = active_lanes("the mask", mask, np.dtype(dtype))
    except CannKernelError as error:
        raise ValueError(f"{error.detail} ({error.hint})") from None
    if not isinstance(repeatTimes, int | np.integer) or not 0 <= repeatTimes <= MAX_REPEAT_TIMES:
        raise ValueError(f"repeatTimes must be an int from 0 to {MAX_REPEAT_TIMES}")
    operands = _operands(repeatParams)
    if isinstance(lengths, int):
        lengths = {role: lengths for role, _, _ in operands}
    lengths = dict(lengths or {})
    unknown = set(lengths) - {role for role, _, _ in operands}
    if unknown:
        roles = ", ".join(role for role, _, _ in operands)
        raise ValueError(f"lengths names {sorted(unknown)}; the operands are {roles}")
    return RepeatsPicture(lanes, int(repeatTimes), operands, dtype, lengths)
