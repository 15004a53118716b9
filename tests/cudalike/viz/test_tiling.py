"""viz.tiling draws the split of a tensor over blocks and tiles that the reference add uses."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import viz
from cudalike.cann.kernels.add import add_custom, add_tiling


def test_the_add_tiling_covers_every_element_once_with_a_padded_tail():
    blocks, tiling = add_tiling(4099, 8, 256)
    picture = viz.tiling(blocks, tiling)
    assert picture.problems == []
    covered = np.zeros(4099, int)
    for block in picture.blocks:
        for tile in block["tiles"]:
            first = block["start"] + tile["offset"]
            covered[first : first + tile["length"]] += 1
    assert (covered == 1).all()
    last = picture.blocks[-1]
    assert last["length"] == 4099 - 7 * tiling.blockLength
    assert last["tiles"][-1]["tail"] and last["tiles"][-1]["padded"]
    html = picture.to_html()
    assert html.count('<g class="tile padded"') == 1
    assert html.count('<g class="tile') == sum(len(b["tiles"]) for b in picture.blocks)


def test_the_pictured_split_is_the_one_the_kernel_computes():
    blocks, tiling = add_tiling(1000, 4, 96)
    x = np.arange(1000, dtype=np.float16)
    z = np.empty_like(x)
    add_custom[blocks](x, x, z, tiling)
    np.testing.assert_array_equal(z, x + x)
    picture = viz.tiling(blocks, tiling)
    assert sum(b["length"] for b in picture.blocks) == 1000
    assert [len(b["tiles"]) for b in picture.blocks] == [3, 3, 3, 3]


def test_too_few_blocks_leave_elements_uncovered_and_say_so():
    tiling = {"totalLength": 1000, "blockLength": 256, "tileLength": 128}
    picture = viz.tiling(1000 // 256, tiling)
    assert picture.uncovered == (768, 1000)
    assert "elements 768..999 (232) belong to no block" in picture.problems[0]
    assert '<g class="uncovered"' in picture.to_html()


def test_unaligned_block_and_tile_lengths_and_idle_blocks_are_reported():
    tiling = {"totalLength": 100, "blockLength": 30, "tileLength": 10}
    picture = viz.tiling(5, tiling)
    text = " ".join(picture.problems)
    assert "1 block(s) get no elements (from block 4)" in text
    assert "blockLength 30 x 2 bytes is not a multiple of 32 bytes" in text
    assert "tileLength 10 x 2 bytes" in text
    assert "idle: no elements" in picture.to_html()


def test_bad_arguments_are_refused_in_words():
    with pytest.raises(ValueError, match="needs tileLength"):
        viz.tiling(2, {"totalLength": 10, "blockLength": 5})
    with pytest.raises(ValueError, match="numBlocks must be a positive int"):
        viz.tiling(0, {"totalLength": 10, "blockLength": 5, "tileLength": 5})
    with pytest.raises(ValueError, match="too big to draw: 65 blocks"):
        viz.tiling(65, {"totalLength": 650, "blockLength": 10, "tileLength": 16})
    with pytest.raises(ValueError, match="too big to draw: 8192 tiles"):
        viz.tiling(2, {"totalLength": 65536, "blockLength": 32768, "tileLength": 8})


def test_same_picture_twice():
    blocks, tiling = add_tiling(5000, 6, 512)
    assert viz.tiling(blocks, tiling).to_html() == viz.tiling(blocks, tiling).to_html()
