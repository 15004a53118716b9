"""viz.accesses records what a launch really touched, and its SVG draws exactly that."""

from __future__ import annotations

import re

import numpy as np
import pytest

from cudalike import cuda, viz
from cudalike.simt import engine

TPB = 4
RADIUS = 1


@cuda.jit
def vector_add(a, b, out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = a[i] + b[i]


@cuda.jit
def scale_2d(m, out):
    col, row = cuda.grid(2)
    if row < m.shape[0] and col < m.shape[1]:
        out[row, col] = 2 * m[row, col]


@cuda.jit
def stencil(x, out):
    halo = cuda.shared.array(6, np.float32)  # TPB + 2 * RADIUS
    i = cuda.grid(1)
    t = cuda.threadIdx.x
    halo[t + RADIUS] = x[i]
    if t < RADIUS:
        halo[t] = x[i - RADIUS] if i >= RADIUS else 0.0
        right = i + TPB
        halo[t + TPB + RADIUS] = x[right] if right < x.size else 0.0
    cuda.syncthreads()
    out[i] = halo[t] + halo[t + 1] + halo[t + 2]


@cuda.jit
def grid_stride(x, out):
    start = cuda.grid(1)
    for i in range(start, x.size, cuda.gridsize(1)):
        out[i] = x[i] + 1


@cuda.jit
def histogram(values, bins):
    i = cuda.grid(1)
    if i < values.size:
        cuda.atomic.add(bins, values[i], 1)


def _key(block: int, thread: int):
    return ((block, 0, 0), (thread, 0, 0))


def test_vector_add_thread_i_reads_a_i_b_i_and_writes_out_i():
    n = 10
    a, b = np.arange(n, dtype=np.float32), np.ones(n, np.float32)
    out = np.zeros(n, np.float32)
    picture = viz.accesses(vector_add[3, 4], a, b, out)
    expected = {_key(i // 4, i % 4): [(i,)] for i in range(n)}
    assert picture.reads("a") == expected
    assert picture.reads("b") == expected
    assert picture.writes("out") == expected
    assert picture.writes("a") == {} and picture.reads("out") == {}
    assert picture.error is None
    np.testing.assert_array_equal(out, a + b)  # the launch ran as always


def test_device_arrays_are_recorded_like_numpy_arrays():
    n = 8
    args = [cuda.to_device(np.ones(n, np.float32)) for _ in range(3)]
    picture = viz.accesses(vector_add[2, 4], *args)
    assert picture.writes("out") == {_key(i // 4, i % 4): [(i,)] for i in range(n)}
    np.testing.assert_array_equal(args[2].copy_to_host(), np.full(n, 2, np.float32))


def test_2d_map_with_cuda_grid_2():
    m = np.arange(5 * 6, dtype=np.float32).reshape(5, 6)
    out = np.zeros_like(m)
    picture = viz.accesses(scale_2d[(2, 2), (4, 4)], m, out)
    expected = {}
    for by in range(2):
        for bx in range(2):
            for ty in range(4):
                for tx in range(4):
                    col, row = bx * 4 + tx, by * 4 + ty
                    if row < 5 and col < 6:
                        expected[((bx, by, 0), (tx, ty, 0))] = [(row, col)]
    assert picture.reads("m") == dict(sorted(expected.items(), key=_thread_order))
    assert picture.writes("out") == picture.reads("m")


def _thread_order(item):
    (bx, by, _), (tx, ty, _) = item[0]
    return ((by * 2 + bx) * 16) + ty * 4 + tx


def test_shared_stencil_records_halo_reads_per_block_copy():
    n = 8
    x = np.arange(n, dtype=np.float32)
    out = np.zeros(n, np.float32)
    picture = viz.accesses(stencil[2, TPB], x, out)
    assert picture.arrays["halo"].space == "shared"
    reads = picture.reads("halo")
    for block in range(2):
        for t in range(TPB):
            assert reads[_key(block, t)] == [(t,), (t + 1,), (t + 2,)]
    writes = picture.writes("halo")
    assert writes[_key(1, 0)] == [(1,), (0,), (5,)]  # its own element, then both halo cells
    assert writes[_key(1, 3)] == [(4,)]
    assert picture.reads("x")[_key(1, 0)] == [(4,), (3,)]  # x[8] is past the end: not read
    np.testing.assert_allclose(out, np.convolve(np.r_[0, x, 0], np.ones(3), "valid"))


def test_grid_stride_loop_gives_each_thread_several_elements():
    n = 20
    x = np.zeros(n, np.float32)
    out = np.zeros(n, np.float32)
    picture = viz.accesses(grid_stride[2, 4], x, out)
    writes = picture.writes("out")
    for g in range(8):
        assert writes[_key(g // 4, g % 4)] == [(i,) for i in range(g, n, 8)]


def test_atomics_are_recorded_as_writes():
    values = np.array([0, 1, 1, 3, 1, 0], np.int64)
    bins = np.zeros(4, np.int32)
    picture = viz.accesses(histogram[2, 4], values, bins)
    atomics = picture.atomics("bins")
    assert atomics == {_key(i // 4, i % 4): [(int(v),)] for i, v in enumerate(values)}
    assert picture.writes("bins") == atomics
    np.testing.assert_array_equal(bins, [2, 3, 0, 1])
    html = picture.to_html()
    assert html.count('class="arrow write atomic"') == len(values)


def _arrows(html: str, array: str, kind: str) -> int:
    panel = _panel(html, array)
    return len(re.findall(rf'class="arrow {kind}[ "]', panel))


def _panel(html: str, array: str) -> str:
    start = html.index(f'data-array="{array}"')
    return html[start : html.index("</svg>", start)]


@pytest.mark.parametrize(
    ("launch", "args"),
    [
        (vector_add[3, 4], (np.ones(10, np.float32),) * 2 + (np.zeros(10, np.float32),)),
        (scale_2d[(2, 2), (4, 4)], (np.ones((5, 6), np.float32), np.zeros((5, 6), np.float32))),
        (stencil[2, TPB], (np.ones(8, np.float32), np.zeros(8, np.float32))),
        (grid_stride[2, 4], (np.ones(20, np.float32), np.zeros(20, np.float32))),
    ],
)
def test_svg_has_one_arrow_per_thread_element_pair(launch, args):
    picture = viz.accesses(launch, *args)
    html = picture.to_html()
    for name in picture.arrays:
        for kind, pairs in (("read", picture.reads(name)), ("write", picture.writes(name))):
            expected = sum(len(elements) for elements in pairs.values())
            assert _arrows(html, name, kind) == expected, (name, kind)


def test_every_touched_cell_names_its_threads():
    picture = viz.accesses(stencil[2, TPB], np.ones(8, np.float32), np.zeros(8, np.float32))
    panel = _panel(picture.to_html(), "halo")
    cells = re.findall(r'<g class="cell touched">.*?<title>(.*?)</title>', panel, re.S)
    assert len(cells) == 2 * 6  # every element of both blocks' copies
    for title in cells:
        assert "block (" in title and "thread (" in title
    first = next(t for t in cells if t.startswith("halo[0] in block 1"))
    assert "written by block (1, 0, 0) thread (0, 0, 0)" in first
    assert "read by block (1, 0, 0) thread (0, 0, 0)" in first


def test_the_picture_is_the_same_on_every_run():
    def draw():
        args = (np.ones(8, np.float32), np.zeros(8, np.float32))
        return viz.accesses(stencil[2, TPB], *args).to_html()

    assert draw() == draw()


def test_arrays_option_draws_only_those_arrays():
    picture = viz.accesses(
        stencil[2, TPB], np.ones(8, np.float32), np.zeros(8, np.float32), arrays=("halo",)
    )
    assert list(picture.arrays) == ["halo"]
    assert picture.to_html().count("<svg") == 1
    with pytest.raises(ValueError, match="no array named 'nope'"):
        viz.accesses(vector_add[1, 4], *([np.ones(4, np.float32)] * 3), arrays=("nope",))


def test_too_big_a_launch_is_refused_before_it_runs():
    out = np.zeros(8192, np.float32)
    with pytest.raises(ValueError, match="too big to draw: 8192 threads"):
        viz.accesses(vector_add[32, 256], out, out, out)


def test_large_arrays_draw_their_first_part_and_say_so():
    n = 3000
    picture = viz.accesses(grid_stride[2, 32], np.ones(n, np.float32), np.zeros(n, np.float32))
    html = picture.to_html()
    assert "showing the first 1024 of 3000 elements" in html
    assert "arrows to elements not shown are left out" in html


def test_recorder_is_off_outside_viz_accesses():
    assert engine.recorder is None
    calls = []

    class Spy:
        def begin(self, launch):
            calls.append(launch)
            return None

    picture = viz.accesses(vector_add[1, 4], *([np.ones(4, np.float32)] * 3))
    assert engine.recorder is None and picture.events
    engine.recorder = Spy()
    try:
        vector_add[1, 4](*([np.ones(4, np.float32)] * 3))
    finally:
        engine.recorder = None
    assert len(calls) == 1
    vector_add[1, 4](*([np.ones(4, np.float32)] * 3))
    assert len(calls) == 1


def test_a_callable_that_launches_nothing_is_refused():
    with pytest.raises(ValueError, match="nothing was launched"):
        viz.accesses(lambda: None)
