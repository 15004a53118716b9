"""viz.side_by_side links the lines of a CUDA kernel to the lines of its Ascend C port."""

from __future__ import annotations

import linecache
import re

import pytest

from cudalike import viz
from cudalike.cann.kernels.add import add_custom

CUDA_ADD = """
def add(x, y, z):
    i = cuda.grid(1)  # ↔ index
    if i < z.size:  # ↔ guard
        z[i] = x[i] + y[i]  # ↔ load, add, store
"""

CANN_ADD = """
def compute(self, progress):
    offset = progress * self.tileLength  # ↔ index
    DataCopy(xLocal, self.xGm[offset], self.tileLength)  # ↔ load
    Add(zLocal, xLocal, yLocal, self.tileLength)  # ↔ add, guard
    DataCopy(self.zGm[offset], zLocal, self.tileLength)  # ↔ store
"""


def drawn_links(html: str) -> dict[tuple[str, int], set[str]]:
    """(side, line) -> the link names the HTML gives that line."""
    rows = re.findall(r'data-side="(\w+)" data-line="(\d+)" data-links="([^"]*)"', html)
    return {(side, int(line)): set(names.split()) for side, line, names in rows}


def test_comment_markers_link_the_lines_that_carry_the_same_name():
    picture = viz.side_by_side(CUDA_ADD, CANN_ADD)
    assert [(link.name, link.cuda, link.cann) for link in picture.links] == [
        ("index", (2,), (2,)),
        ("guard", (3,), (4,)),
        ("load", (4,), (3,)),
        ("add", (4,), (4,)),
        ("store", (4,), (5,)),
    ]
    drawn = drawn_links(picture.to_html())
    assert drawn[("cuda", 4)] == {"load", "add", "store"}
    assert drawn[("cann", 4)] == {"add", "guard"}
    assert drawn[("cuda", 1)] == set() and drawn[("cann", 1)] == set()
    assert all("↔" not in line for side in picture.sources.values() for line in side)
    assert picture.partners("cuda", 3) == {"guard": (4,)}


def test_every_link_has_a_radio_to_pin_it_and_a_highlight_rule():
    picture = viz.side_by_side(CUDA_ADD, CANN_ADD)
    html = picture.to_html()
    assert html.count('type="radio"') == len(picture.links) == 5
    for index in range(len(picture.links)):
        assert f"#{picture.uid}:has(.k{index}:hover) .k{index}" in html
        assert f"#{picture.uid}:has(#{picture.uid}-k{index}:checked) .k{index}" in html
    labels = re.findall(r'<label for="([^"]+)"', html)
    assert len(labels) == 7  # one per linked line: 3 + 4


def test_explicit_pairs_of_ranges_are_the_links_drawn():
    links = {"grid": ((2, 3), 2), "body": (4, [(3, 4), 5])}
    picture = viz.side_by_side(CUDA_ADD, CANN_ADD, links=links)
    drawn = drawn_links(picture.to_html())
    for link in picture.links:
        for side in ("cuda", "cann"):
            assert {
                line for (s, line), names in drawn.items() if s == side and link.name in names
            } == set(getattr(link, side))
    assert [(link.name, link.cuda, link.cann) for link in picture.links] == [
        ("grid", (2, 3), (2,)),
        ("body", (4,), (3, 4, 5)),
    ]
    assert "grid (2-3 ↔ 2)" in repr(picture)


def test_a_list_of_pairs_is_named_by_position_and_markers_stay_in_the_text():
    picture = viz.side_by_side(CUDA_ADD, CANN_ADD, links=[(2, 2), (3, 4)])
    assert [link.name for link in picture.links] == ["1", "2"]
    assert all("↔" not in line for side in picture.sources.values() for line in side)


def test_kernel_objects_and_functions_give_their_source():
    picture = viz.side_by_side(drawn_links, add_custom, links=[(1, 1)])
    assert picture.sources["cuda"][0].startswith("def drawn_links(")
    assert any("def add_custom" in line for line in picture.sources["cann"])


def test_the_same_input_gives_the_same_html():
    assert viz.side_by_side(CUDA_ADD, CANN_ADD).to_html() == (
        viz.side_by_side(CUDA_ADD, CANN_ADD)._repr_html_()
    )


@pytest.mark.parametrize(
    ("cuda", "cann", "links", "message"),
    [
        (CUDA_ADD, CANN_ADD, {"x": (9, 1)}, "cuda lines 9..9 are not within the 4 lines"),
        (CUDA_ADD, CANN_ADD, {"x": ((3, 2), 1)}, "cuda lines 3..2"),
        (CUDA_ADD, CANN_ADD, {"x": (1, "2")}, "cann lines must be a line number"),
        (CUDA_ADD, CANN_ADD, {"x": (1,)}, "must be a pair"),
        (CUDA_ADD, CANN_ADD, [], "links is empty"),
        (CUDA_ADD, CANN_ADD, 3, "links must be a mapping"),
        (CUDA_ADD, CANN_ADD.replace("# ↔ store", ""), None, "only in the cuda kernel: 'store'"),
        ("x = 1\n", "y = 2\n", None, "no links"),
        ("x = 1  # ↔ a b\n", "y = 2  # ↔ a\n", None, "cuda line 1: '# ↔' must be followed"),
        ("", "y = 2\n", [(1, 1)], "the cuda kernel's source is empty"),
        (print, "y = 2\n", [(1, 1)], "cannot read the source of the cuda kernel"),
    ],
)
def test_bad_input_is_a_clear_error(cuda, cann, links, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        viz.side_by_side(cuda, cann, links=links)


def test_a_class_defined_in_a_notebook_cell_gives_its_source():
    cell = "x = 1\n\n\nclass KernelCell:\n    def Compute(self):\n        return 2  # ↔ add\n"
    filename = "<ipython-input-cell-7>"  # how IPython names a cell's code, kept in linecache
    linecache.cache[filename] = (len(cell), None, cell.splitlines(True), filename)
    namespace = {"__name__": "__main__"}
    exec(compile(cell, filename, "exec"), namespace)
    picture = viz.side_by_side("y = 1  # ↔ add", namespace["KernelCell"])
    assert picture.sources["cann"][0] == "class KernelCell:"
    assert [(link.name, link.cuda, link.cann) for link in picture.links] == [("add", (1,), (3,))]
