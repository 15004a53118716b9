"""Lane geometry of a chunk: each array as its plain definition gives it, read-only, made only
when asked for (a kernel using only cuda.grid(1) makes nothing else)."""

import numpy as np
import pytest

from cudalike.simt.lane_geometry import LaneGeometry


@pytest.mark.parametrize(
    ("first_block", "blocks", "blockdim", "griddim"),
    [
        (0, 4, (64, 1, 1), (4, 1, 1)),
        (3, 5, (8, 4, 2), (9, 2, 1)),
        (7, 2**12, (256, 1, 1), (2**14, 1, 1)),  # past the size kept in 2 MB aligned memory
    ],
)
def test_lane_arrays_match_their_definitions(first_block, blocks, blockdim, griddim):
    geometry = LaneGeometry(first_block, blocks, blockdim, griddim)
    threads = int(np.prod(blockdim))
    lanes = np.arange(blocks * threads)
    expected = {
        "lane_index": lanes,
        "lane_block": lanes // threads,
        "lane_thread": lanes % threads,
        "global_block": first_block + lanes // threads,
        "lane_warp": lanes // threads * (-(-threads // 32)) + lanes % threads // 32,
    }
    if blockdim[1:] == (1, 1) and griddim[1:] == (1, 1):
        expected["grid"] = first_block * threads + lanes
    for name, values in expected.items():
        array = getattr(geometry, name)
        np.testing.assert_array_equal(array, values, err_msg=name)
        assert not array.flags.writeable, name


def test_only_what_is_asked_for_is_made():
    geometry = LaneGeometry(0, 16, (256, 1, 1), (16, 1, 1))
    geometry.grid  # noqa: B018 - made on first use
    assert set(vars(geometry)) & {"lane_block", "lane_thread", "global_block", "lane_warp"} == set()
