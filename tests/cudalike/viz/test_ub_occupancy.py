"""`viz.ub_occupancy`: the UB of a profiled CANN launch against its capacity, over time."""

from __future__ import annotations

import numpy as np
import pytest

from cudalike import cann, profiler
from cudalike.cann import Add, DataCopy, GetBlockIdx, GlobalTensor, TPipe, TPosition, TQue
from cudalike.model.devices_npu import load_npu_profile
from cudalike.viz._ub_occupancy import ub_occupancy

TILE = 1024
TILES = 4


def add_kernel(buffer_num: int):
    """The three-stage add over TILES tiles per block with `buffer_num` buffers per queue."""

    @cann.kernel
    def add(x, y, z):
        length = TILE * TILES
        start = length * GetBlockIdx()
        gms = []
        for array in (x, y, z):
            gm = GlobalTensor(cann.half)
            gm.SetGlobalBuffer(array.cast(cann.half) + start, length)
            gms.append(gm)
        x_gm, y_gm, z_gm = gms
        pipe = TPipe()
        in_x, in_y = TQue(TPosition.VECIN, buffer_num), TQue(TPosition.VECIN, buffer_num)
        out_z = TQue(TPosition.VECOUT, buffer_num)
        for queue in (in_x, in_y, out_z):
            pipe.InitBuffer(queue, buffer_num, TILE * 2)
        for tile in range(TILES):
            x_local, y_local = in_x.AllocTensor(cann.half), in_y.AllocTensor(cann.half)
            DataCopy(x_local, x_gm[tile * TILE], TILE)
            DataCopy(y_local, y_gm[tile * TILE], TILE)
            in_x.EnQue(x_local)
            in_y.EnQue(y_local)
            x_local, y_local = in_x.DeQue(cann.half), in_y.DeQue(cann.half)
            z_local = out_z.AllocTensor(cann.half)
            Add(z_local, x_local, y_local, TILE)
            out_z.EnQue(z_local)
            in_x.FreeTensor(x_local)
            in_y.FreeTensor(y_local)
            z_local = out_z.DeQue(cann.half)
            DataCopy(z_gm[tile * TILE], z_local, TILE)
            out_z.FreeTensor(z_local)

    return add


@pytest.fixture(scope="module")
def prof():
    n = 2 * TILE * TILES
    x = np.ones(n, np.float16)
    with profiler.profile() as result:
        for buffer_num in (1, 2):
            add_kernel(buffer_num)[2](x, x, np.zeros_like(x))
    return result


def test_capacity_and_reserved_bytes_are_the_profile_and_initbuffer(prof):
    single, double = ub_occupancy(prof, launch=0), ub_occupancy(prof, launch=1)
    assert single.capacity_bytes == load_npu_profile().ub_bytes
    assert single.reserved_bytes == 3 * TILE * 2
    assert double.reserved_bytes == 2 * single.reserved_bytes


def test_held_buffers_follow_the_pipeline(prof):
    single = ub_occupancy(prof, launch=0, buffer_bytes=TILE * 2)
    double = ub_occupancy(prof, launch=1, buffer_bytes=TILE * 2)
    # One buffer per queue: x, y and z of consecutive tiles overlap at most three at a time.
    assert single.peak_buffers == 3 and single.peak_bytes == single.reserved_bytes
    # Two per queue: the next tile's inputs arrive while this tile computes (how many at
    # once depends on how long the Add takes, UB bank conflicts included), never all six.
    assert single.peak_buffers < double.peak_buffers < 6
    assert double.peak_bytes <= double.reserved_bytes
    for picture in (single, double):
        assert picture.steps[0] == (0.0, 1) and picture.steps[-1][1] == 0
        assert picture.steps[-1][0] == pytest.approx(picture.cycles)
        assert picture.problems == []


def test_html_is_one_inline_svg_with_capacity_reserved_and_lanes(prof):
    page = ub_occupancy(prof, launch=1, core=1).to_html()
    assert page.count("<svg") == 1 and "<script" not in page
    assert "UB 196608 B: InitBuffer reserved 12288 B (6%)" in page
    assert all(f">{pipe}<" in page for pipe in ("MTE2", "V", "MTE3"))
    assert "pass buffer_bytes" in page


def test_the_same_launch_draws_the_same_picture(prof):
    assert ub_occupancy(prof).to_html() == ub_occupancy(prof.launches[-1]).to_html()


def test_a_buffer_size_beyond_the_reservation_is_named(prof):
    picture = ub_occupancy(prof, launch=0, buffer_bytes=TILE * 4)
    assert "exceed the 6144 bytes InitBuffer reserved" in picture.problems[0]


def test_wrong_inputs_are_refused_clearly(prof):
    with pytest.raises(ValueError, match="core 5 is not in this launch of 2 block"):
        ub_occupancy(prof, core=5)
    with pytest.raises(ValueError, match="buffer_bytes must be a positive"):
        ub_occupancy(prof, buffer_bytes=0)

    class CudaRecord:
        launches = [object()]

    with pytest.raises(ValueError, match="draws a CANN launch"):
        ub_occupancy(CudaRecord())
