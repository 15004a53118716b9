"""viz.layout draws every thread of a launch shape, coloured by warp."""

from __future__ import annotations

import re

import pytest

from cudalike import viz


def test_1d_launch_has_a_cell_per_thread_with_its_global_index():
    picture = viz.layout(3, 8)
    html = picture.to_html()
    assert html.count('<g class="lane warp-') == 24
    assert html.count('<rect class="block"') == 3
    assert "blockIdx 2" in html
    assert "threadIdx (7, 0, 0), warp 0 of its block, cuda.grid(1) = 23" in html


def test_2d_block_of_16x16_has_each_warp_spanning_two_rows():
    picture = viz.layout((2, 1), (16, 16))
    assert len(picture.cells) == 512
    first_block = [c for c in picture.cells if c["block"] == (0, 0, 0)]
    for cell in first_block:
        x, y, _ = cell["thread"]
        assert cell["warp"] == y // 2
    html = picture.to_html()
    assert len(re.findall(r'<g class="lane warp-7"', html)) == 2 * 32
    assert "cuda.grid(2) = (17,3)" in html  # block (1, 0), thread (1, 3)
    warps = re.findall(r'<g class="lane warp-(\d+)"><rect [^>]*fill="([^"]+)"', html)
    colours = {}
    for warp, fill in warps:
        colours.setdefault(warp, set()).add(fill)
    assert all(len(fills) == 1 for fills in colours.values())
    assert colours["0"] != colours["1"]


def test_tuples_of_one_and_two_are_accepted():
    assert len(viz.layout((2,), (4,)).cells) == 8
    assert len(viz.layout((2, 3), (4, 2)).cells) == 48


def test_too_big_a_launch_is_refused():
    with pytest.raises(ValueError, match="too big to draw: 8192 threads"):
        viz.layout(32, 256)
    with pytest.raises(ValueError, match="positive int"):
        viz.layout(0, 32)


def test_same_picture_twice():
    assert viz.layout((2, 2), (8, 4)).to_html() == viz.layout((2, 2), (8, 4)).to_html()
