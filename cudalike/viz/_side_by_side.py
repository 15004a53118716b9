"""`viz.side_by_side(cuda_kernel, cann_kernel, links=...)`: two kernels, corresponding lines linked.

A port from CUDA to Ascend C is read best line against line: `cuda.grid(1)` against
`GetBlockIdx()` and the tiling, a shared array against a queue's buffer, `syncthreads`
against `EnQue`/`DeQue`. The picture sets the two sources in two columns and links lines of
one to lines of the other. Each link has a name and a colour: its lines carry a coloured
margin and the name, so the pairs read in any front end (nbconvert, GitHub); where the front
end keeps the picture's small style sheet, hovering a line highlights its partners and
clicking it keeps them highlighted. Nothing is launched.
"""

from __future__ import annotations

import hashlib
import html
import inspect
import linecache
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cudalike.viz._style import FONT, HIGHLIGHT, MONO, MUTED, TEXT
from cudalike.viz._svg_grid import BLOCK_COLORS

MARKER = re.compile(r"\s*#\s*↔\s*(?P<names>[^#]*?)\s*$")
NAME = re.compile(r"^[\w.\-]+$")
SIDES = ("cuda", "cann")
# the blocks' eight colours, then four more, so that a dozen links all differ
LINK_COLORS = (*BLOCK_COLORS, "#ad494a", "#7f7f7f", "#393b79", "#637939")


@dataclass(frozen=True)
class Link:
    """One correspondence: lines (1-based, of the sources as drawn) in each kernel."""

    name: str
    cuda: tuple[int, ...]
    cann: tuple[int, ...]


def _source(kernel, side: str) -> str:
    """The source text of a kernel given as a string, a function, a class or a kernel object."""
    if isinstance(kernel, str):
        text = kernel
    else:
        target = getattr(kernel, "py_func", None) or getattr(kernel, "__wrapped__", kernel)
        try:
            text = _class_source(target) if inspect.isclass(target) else inspect.getsource(target)
        except (OSError, TypeError) as error:
            raise ValueError(
                f"cannot read the source of the {side} kernel {kernel!r} ({error}); pass the "
                "source as a string instead"
            ) from None
    text = textwrap.dedent(text).strip("\n")
    if not text.strip():
        raise ValueError(f"the {side} kernel's source is empty")
    return text


def _class_source(cls: type) -> str:
    """A class's source, also for a class defined in a notebook cell.

    `inspect.getsource` finds a class through its module's file, which a notebook's
    `__main__` does not have; the class's own methods know their cell (in `linecache`), and
    the class statement is the last one of that name above its first method.
    """
    try:
        return inspect.getsource(cls)
    except (OSError, TypeError):
        pass
    methods = [v for v in vars(cls).values() if inspect.isfunction(v)]
    if not methods:
        raise OSError(f"class {cls.__name__} has no method to find its source by")
    code = min((m.__code__ for m in methods), key=lambda c: c.co_firstlineno)
    lines = linecache.getlines(code.co_filename)
    header = re.compile(rf"^\s*class\s+{re.escape(cls.__name__)}\b")
    starts = [i for i in range(min(code.co_firstlineno, len(lines))) if header.match(lines[i])]
    if not starts:
        raise OSError(f"the class statement of {cls.__name__} was not found")
    return "".join(inspect.getblock(lines[starts[-1] :]))


def _strip_markers(lines: list[str], side: str) -> tuple[list[str], dict[str, list[int]]]:
    """The lines without their `# ↔ name` comments, and name -> the lines that carried it."""
    shown, marked = [], {}
    for number, line in enumerate(lines, start=1):
        match = MARKER.search(line)
        if match is None:
            shown.append(line)
            continue
        names = [name.strip() for name in match["names"].split(",")]
        for name in names:
            if not NAME.match(name):
                raise ValueError(
                    f"{side} line {number}: '# ↔' must be followed by link names (letters, "
                    f"digits, '_', '.', '-'; several separated by commas), got {match['names']!r}"
                )
            marked.setdefault(name, []).append(number)
        shown.append(line[: match.start()])
    return shown, marked


def _lines(spec, side: str, name: str, count: int) -> tuple[int, ...]:
    """Line numbers from an int, a (first, last) range or a list of those, checked."""
    parts = [spec] if isinstance(spec, int) or _is_range(spec) else spec
    if isinstance(parts, str | bytes) or not isinstance(parts, Sequence) or not parts:
        raise ValueError(
            f"link {name!r}: the {side} lines must be a line number, a (first, last) range or a "
            f"list of those, got {spec!r}"
        )
    numbers: list[int] = []
    for part in parts:
        if isinstance(part, int) and not isinstance(part, bool):
            first = last = part
        elif _is_range(part):
            first, last = part
        else:
            raise ValueError(
                f"link {name!r}: {part!r} in the {side} lines is neither a line number nor a "
                "(first, last) range"
            )
        if not 1 <= first <= last <= count:
            raise ValueError(
                f"link {name!r}: {side} lines {first}..{last} are not within the {count} lines "
                "of its source (lines count from 1, ranges include their last line)"
            )
        numbers.extend(range(first, last + 1))
    return tuple(sorted(set(numbers)))


def _is_range(value) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    )


def _explicit_links(links, counts: dict[str, int]) -> list[Link]:
    """Links from a mapping name -> (cuda lines, cann lines) or a sequence of such pairs."""
    if isinstance(links, Mapping):
        items = list(links.items())
    elif isinstance(links, Sequence) and not isinstance(links, str | bytes):
        items = [(str(index + 1), pair) for index, pair in enumerate(links)]
    else:
        raise ValueError(
            "links must be a mapping name -> (cuda lines, cann lines), a list of such pairs, or "
            f"None (match '# ↔ name' comments), got {type(links).__name__}"
        )
    result = []
    for name, pair in items:
        if not isinstance(pair, Sequence) or isinstance(pair, str | bytes) or len(pair) != 2:
            raise ValueError(f"link {name!r} must be a pair (cuda lines, cann lines), got {pair!r}")
        result.append(
            Link(
                str(name),
                _lines(pair[0], "cuda", str(name), counts["cuda"]),
                _lines(pair[1], "cann", str(name), counts["cann"]),
            )
        )
    return result


def _marked_links(marked: dict[str, dict[str, list[int]]]) -> list[Link]:
    """Links from the `# ↔ name` comments: a name must appear in both sources."""
    for side, other in (("cuda", "cann"), ("cann", "cuda")):
        alone = [name for name in marked[side] if name not in marked[other]]
        if alone:
            where = ", ".join(f"{name!r} (line {marked[side][name][0]})" for name in alone)
            raise ValueError(
                f"'# ↔' names only in the {side} kernel: {where}; each name links lines of both "
                "kernels"
            )
    if not marked["cuda"]:
        raise ValueError(
            "no links: mark corresponding lines with the same '# ↔ name' comment in both "
            "kernels, or pass links="
        )
    order = sorted(marked["cuda"], key=lambda name: marked["cuda"][name][0])
    return [Link(name, tuple(marked["cuda"][name]), tuple(marked["cann"][name])) for name in order]


class SideBySidePicture:
    """A CUDA kernel and its Ascend C port in two columns, corresponding lines linked.

    Attributes:
        sources: side ("cuda", "cann") -> the lines as drawn (without `# ↔` comments).
        links: the `Link`s, in the order of their first CUDA line.
        titles: the two column headings.
    """

    def __init__(self, sources: dict[str, list[str]], links: list[Link], titles):
        self.sources, self.links, self.titles = sources, links, tuple(titles)
        digest = hashlib.sha1(repr((sources, links)).encode()).hexdigest()[:10]
        self.uid = f"cudalike-sbs-{digest}"

    def partners(self, side: str, line: int) -> dict[str, tuple[int, ...]]:
        """The lines of the other kernel linked to `line` of `side`, by link name."""
        other = "cann" if side == "cuda" else "cuda"
        return {
            link.name: getattr(link, other) for link in self.links if line in getattr(link, side)
        }

    def _sheet(self) -> str:
        """Hover (`:has`) and click (a hidden radio per link, inline `display:none` so that it
        stays hidden where the sheet is dropped) highlight a link's lines."""
        rules = [f"#{self.uid} label{{cursor:pointer}}"]
        for index in range(len(self.links)):
            cls = f"k{index}"
            rules.append(
                f"#{self.uid}:has(.{cls}:hover) .{cls},#{self.uid}:has(#{self.uid}-{cls}:checked) "
                f".{cls}{{background:{HIGHLIGHT};outline:1px solid #c9a227}}"
            )
        return "".join(rules)

    def _column(self, side: str, title: str) -> str:
        rows = []
        for number, text in enumerate(self.sources[side], start=1):
            member = [i for i, link in enumerate(self.links) if number in getattr(link, side)]
            names = " ".join(self.links[i].name for i in member)
            code = html.escape(text) or "&nbsp;"
            if member:
                color = LINK_COLORS[member[0] % len(LINK_COLORS)]
                classes = " ".join(f"k{i}" for i in member)
                partners = "; ".join(
                    f"{name}: {_span(lines)}" for name, lines in self.partners(side, number).items()
                )
                tag = f'<span style="color:{color};font-weight:bold">{html.escape(names)}</span>'
                body = (
                    f'<label for="{self.uid}-k{member[0]}" style="display:block">'
                    f'<span style="color:{MUTED}">{number:>3}</span> {code}</label>'
                )
                rows.append(
                    f'<tr class="line {classes}" data-side="{side}" data-line="{number}" '
                    f'data-links="{html.escape(names)}" style="border-left:4px solid {color}">'
                    f'<td style="white-space:pre;padding:0 6px">{body}</td>'
                    f'<td style="{FONT};font-size:11px;padding:0 6px;white-space:nowrap" '
                    f'title="linked lines: '
                    f'{html.escape(partners)}">{tag}</td></tr>'
                )
            else:
                rows.append(
                    f'<tr class="line" data-side="{side}" data-line="{number}" data-links="" '
                    'style="border-left:4px solid transparent">'
                    f'<td style="white-space:pre;padding:0 6px"><span style="color:{MUTED}">'
                    f"{number:>3}</span> {code}</td><td></td></tr>"
                )
        heading = f'<div style="{FONT};color:{TEXT};font-weight:bold">{html.escape(title)}</div>'
        table = (
            f'<table style="border-collapse:collapse;border:none;margin:0;{MONO};'
            f'color:{TEXT};text-align:left">{"".join(rows)}</table>'
        )
        return f'<div class="side {side}" style="flex:1 1 0;min-width:320px">{heading}{table}</div>'

    def to_html(self) -> str:
        """Static HTML: a legend, then the two kernels in columns with their links."""
        radios = "".join(
            f'<input type="radio" name="{self.uid}" id="{self.uid}-k{i}" style="display:none">'
            for i in range(len(self.links))
        )
        names = ", ".join(
            f'<span style="color:{LINK_COLORS[i % len(LINK_COLORS)]};font-weight:bold">'
            f"{html.escape(link.name)}</span>"
            for i, link in enumerate(self.links)
        )
        legend = (
            f'<div style="{FONT};color:{TEXT};margin-bottom:4px">{len(self.links)} link(s): '
            f"{names}. Lines with the same name and colour correspond; hover a line to "
            "highlight its partners, click it to keep them highlighted.</div>"
        )
        columns = "".join(
            self._column(side, title) for side, title in zip(SIDES, self.titles, strict=True)
        )
        return (
            f'<div class="cudalike-side-by-side" id="{self.uid}"><style>{self._sheet()}</style>'
            f'{radios}{legend}<div style="display:flex;gap:16px;flex-wrap:wrap">{columns}</div>'
            "</div>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        pairs = ", ".join(
            f"{link.name} ({_span(link.cuda)} ↔ {_span(link.cann)})" for link in self.links
        )
        return (
            f"<side_by_side {self.titles[0]} ({len(self.sources['cuda'])} lines) and "
            f"{self.titles[1]} ({len(self.sources['cann'])} lines): {pairs}>"
        )


def _span(lines: tuple[int, ...]) -> str:
    """Line numbers as compact ranges: (3, 4, 5, 9) -> '3-5,9'."""
    runs: list[list[int]] = []
    for line in lines:
        if runs and line == runs[-1][-1] + 1:
            runs[-1].append(line)
        else:
            runs.append([line])
    return ",".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def side_by_side(
    cuda_kernel,
    cann_kernel,
    links=None,
    *,
    titles: tuple[str, str] = ("CUDA", "Ascend C"),
) -> SideBySidePicture:
    """Draw a CUDA kernel and its Ascend C port side by side, corresponding lines linked.

    Each kernel is a source string, a function, a class, or a kernel object (`cuda.jit`,
    `cann.kernel`); its source is read with `inspect` and dedented. Links come one of two ways:

    - `links=None` (the default): a comment `# ↔ name` at the end of a line puts that line in
      link `name` (`# ↔ load, guard` in two); lines with the same name in both kernels
      correspond. The comments are not drawn. Every name must appear in both kernels.
    - `links=` a mapping `name -> (cuda lines, cann lines)`, or a list of such pairs (named
      1, 2, ...), where lines are a line number, a `(first, last)` range (inclusive) or a list
      of those, counted from 1 in each source as drawn.

    Raises ValueError for a source that cannot be read, a line outside its source, a name
    only in one kernel, or no links at all.
    """
    texts = {"cuda": _source(cuda_kernel, "cuda"), "cann": _source(cann_kernel, "cann")}
    sources, marked = {}, {}
    for side in SIDES:
        sources[side], marked[side] = _strip_markers(texts[side].splitlines(), side)
    if links is None:
        found = _marked_links(marked)
    else:
        found = _explicit_links(links, {side: len(sources[side]) for side in SIDES})
        if not found:
            raise ValueError("links is empty: give at least one (cuda lines, cann lines) pair")
    if len(titles) != 2:
        raise ValueError(f"titles must be two strings (CUDA, Ascend C), got {titles!r}")
    return SideBySidePicture(sources, found, titles)
