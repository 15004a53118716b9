"""picture.banks: conflict degree per warp access, and agreement with the profiler's counter."""

from __future__ import annotations

import numpy as np
import pytest
from numba import float32

from cudalike import cuda, profiler, viz


@cuda.jit
def strided(x, out, stride):
    buffer = cuda.shared.array(128, float32)
    t = cuda.threadIdx.x
    buffer[t * stride] = x[t]
    cuda.syncthreads()
    out[t] = buffer[t * stride]


@cuda.jit
def broadcast(x, out):
    word = cuda.shared.array(1, float32)
    t = cuda.threadIdx.x
    if t == 0:
        word[0] = x[0]
    cuda.syncthreads()
    out[t] = word[0]


@cuda.jit
def transpose(a, out):
    tile = cuda.shared.array((32, 32), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    tile[ty, tx] = a[ty, tx]
    cuda.syncthreads()
    out[ty, tx] = tile[tx, ty]


@cuda.jit
def transpose_padded(a, out):
    tile = cuda.shared.array((32, 33), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    tile[ty, tx] = a[ty, tx]
    cuda.syncthreads()
    out[ty, tx] = tile[tx, ty]


def _degrees(use, access: str) -> set[int]:
    return {row["degree"] for row in use.table if row["access"] == access}


@pytest.mark.parametrize(("stride", "degree"), [(1, 1), (2, 2), (4, 4)])
def test_stride_sets_the_degree(stride, degree):
    x = np.ones(32, np.float32)
    picture = viz.accesses(strided[1, 32], x, np.zeros(32, np.float32), stride)
    use = picture.banks("buffer")
    assert _degrees(use, "read") == {degree}
    assert _degrees(use, "write") == {degree}
    row = use.table[0]
    assert sum(row["words_per_bank"]) == 32 and row["lanes"] == 32 and row["warp"] == 0


def test_every_thread_reading_one_word_is_a_broadcast():
    picture = viz.accesses(broadcast[1, 64], np.ones(1, np.float32), np.zeros(64, np.float32))
    use = picture.banks("word")
    reads = [row for row in use.table if row["access"] == "read"]
    assert len(reads) == 2  # two warps
    assert {row["degree"] for row in reads} == {1}


def _profiled_conflicts(launch, *args) -> dict[int, float]:
    with profiler.profile() as prof:
        launch(*args)
    return {
        line.line: line.counters.get("bank_conflicts", 0.0)
        for line in prof.launches[0].lines
        if "tile[" in line.source
    }


@pytest.mark.parametrize(("kernel", "degree"), [(transpose, 32), (transpose_padded, 1)])
def test_transpose_tile_by_column_and_padded_agree_with_the_profiler(kernel, degree):
    a = np.arange(1024, dtype=np.float32).reshape(32, 32)
    out = np.zeros_like(a)
    picture = viz.accesses(kernel[1, (32, 32)], a, out)
    np.testing.assert_array_equal(out, a.T)
    use = picture.banks("tile")
    assert _degrees(use, "write") == {1}
    assert _degrees(use, "read") == {degree}
    assert len(use.table) == 2 * 32  # 32 warps, one read and one write each
    for line, conflicts in _profiled_conflicts(kernel[1, (32, 32)], a, out).items():
        assert use.conflicts(line) == conflicts


def test_picture_and_errors():
    a = np.zeros((32, 32), np.float32)
    picture = viz.accesses(transpose[1, (32, 32)], a, np.zeros_like(a))
    html = picture.banks("tile").to_html()
    assert html.count('class="bank"') == 64 * 32
    assert "32-way" in html and "no conflict" in html
    with pytest.raises(KeyError, match="no shared array named 'a'"):
        picture.banks("a")
