"""A kernel error is kept on the picture and drawn: offending thread, element, other party."""

from __future__ import annotations

import re

import numpy as np
import pytest

from cudalike import cuda, viz
from cudalike.errors import OutOfBoundsError, RaceError


@cuda.jit
def unguarded_add(a, b, out):
    i = cuda.grid(1)
    out[i] = a[i] + b[i]


@cuda.jit
def unguarded_2d(m):
    col, row = cuda.grid(2)
    m[row, col] = 1.0


@cuda.jit
def every_block_writes_out_0(out):
    if cuda.threadIdx.x == 0:
        out[0] = cuda.blockIdx.x


@cuda.jit
def reverse_without_sync(x, out):
    tile = cuda.shared.array(64, np.float32)
    t = cuda.threadIdx.x
    tile[t] = x[t]
    out[t] = tile[63 - t]


def _panel(html: str, array: str) -> str:
    start = html.index(f'data-array="{array}"')
    return html[start : html.index("</svg>", start)]


def _thread_group(panel: str, marks: str) -> list[str]:
    return re.findall(rf'<g class="thread {marks}" id="[^"]*-t(\d+)"', panel)


def test_out_of_bounds_is_kept_and_drawn_as_a_ghost_cell():
    n = 10
    a = np.ones(n, np.float32)
    out = np.zeros(n, np.float32)
    picture = viz.accesses(unguarded_add[3, 4], a, a, out)  # 12 threads for 10 elements
    error = picture.error
    assert isinstance(error, OutOfBoundsError)
    assert (error.array, error.element) == ("a", (10,))
    assert (error.block, error.thread) == ((2, 0, 0), (2, 0, 0))
    panel = _panel(picture.to_html(), "a")
    assert _thread_group(panel, "error-thread") == ["10"]
    ghost = re.search(r'<g class="ghost error-element">.*?<title>(.*?)</title>', panel, re.S)
    assert ghost and "a[10] does not exist" in ghost.group(1)
    assert panel.count('class="arrow error"') == 1
    # the threads whose index was inside the array still drew their reads of that instruction
    assert len(re.findall(r'class="arrow read"', panel)) == n
    np.testing.assert_array_equal(out, np.zeros(n))  # a failed launch copies nothing back


def test_out_of_bounds_in_2d_puts_the_ghost_outside_the_grid():
    m = np.zeros((3, 4), np.float32)
    picture = viz.accesses(unguarded_2d[(1, 1), (4, 4)], m)
    assert isinstance(picture.error, OutOfBoundsError)
    assert picture.error.element == (3, 0)
    panel = _panel(picture.to_html(), "m")
    assert 'class="ghost error-element"' in panel
    assert "m[3, 0] does not exist (shape (3, 4))" in panel


def test_race_between_blocks_marks_both_threads_and_the_element():
    out = np.zeros(4, np.int32)
    picture = viz.accesses(every_block_writes_out_0[3, 2], out)
    error = picture.error
    assert isinstance(error, RaceError)
    assert (error.array, error.element) == ("out", (0,))
    assert error.other_block is not None and error.other_block != error.block
    panel = _panel(picture.to_html(), "out")
    offender = picture.linear_thread(error.block, error.thread)
    assert _thread_group(panel, "error-thread") == [str(offender)]
    other = picture.linear_thread(error.other_block, (0, 0, 0))
    assert _thread_group(panel, "error-other") == [str(other)]
    assert panel.count('class="cell touched error-element"') == 1


def test_missing_syncthreads_marks_both_threads_and_the_shared_element():
    x = np.arange(64, dtype=np.float32)
    picture = viz.accesses(reverse_without_sync[1, 64], x, np.zeros(64, np.float32))
    error = picture.error
    assert isinstance(error, RaceError)
    assert error.array == "tile"
    assert error.other_thread is not None
    (reader,) = error.thread[:1]
    (writer,) = error.other_thread[:1]
    assert error.element == (63 - reader,) and writer == 63 - reader
    panel = _panel(picture.to_html(), "tile")
    assert _thread_group(panel, "error-thread") == [str(reader)]
    assert _thread_group(panel, "error-other") == [str(writer)]
    marked = re.search(
        r'<g class="cell touched error-element">.*?<title>(.*?)</title>', panel, re.S
    )
    assert marked and marked.group(1).startswith(f"tile[{63 - reader}]")


def test_error_attributes_keep_the_old_constructor_working():
    error = RaceError("x", kernel="k", block=(0, 0, 0), thread=(1, 0, 0))
    assert error.array is None and error.element is None
    assert error.other_block is None and error.other_thread is None
    assert "block (0, 0, 0), thread (1, 0, 0)" in str(error)


def test_the_error_is_in_the_text_of_the_picture():
    a = np.ones(6, np.float32)
    picture = viz.accesses(unguarded_add[2, 4], a, a, np.zeros(6, np.float32))
    assert 'class="error-report"' in picture.to_html()
    assert "index past the end" in picture.to_html()
    with pytest.raises(KeyError, match="no array named 'nope'"):
        picture.reads("nope")
