"""The race checks' shadow state is pooled: a launch reuses the arrays of the previous one,
they come back reset (no stale writes or reads leak into the next launch), and what a launch
does not need (the read range of a write-only array, any shadow at all for an array each
thread writes once at its own index) is never made."""

import numpy as np
import pytest

from cudalike import cuda
from cudalike.errors import RaceError
from cudalike.simt import shadow_pool

N = 4096


@cuda.jit
def fill(out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = i


@cuda.jit
def shift_left(out):
    # reads the element the next thread writes: a race between blocks at block edges
    i = cuda.grid(1)
    if i + 1 < out.size:
        out[i] = out[i + 1]


@cuda.jit
def fill_reversed(out):
    i = cuda.grid(1)
    if i < out.size:
        out[out.size - 1 - i] = i


@cuda.jit
def read_then_write_own(out):
    i = cuda.grid(1)
    if i < out.size:
        out[i] = out[i] + 1


def _pooled(size: int, dtype, empty) -> list:
    return shadow_pool._pool.get((size, np.dtype(dtype), empty), [])


def test_a_launch_reuses_the_previous_launchs_shadow():
    out = cuda.to_device(np.zeros(N, np.float32))
    read_then_write_own[N // 256, 256](out)
    pooled = list(_pooled(N, np.int32, -1))
    assert pooled, "the write shadow went back to the pool"
    read_then_write_own[N // 256, 256](out)
    assert any(a is b for a in _pooled(N, np.int32, -1) for b in pooled)


def test_write_only_launches_make_no_read_shadow():
    size = N + 64  # a size no other test uses
    fill_reversed[-(-size // 256), 256](cuda.device_array(size, np.float32))
    assert _pooled(size, np.int64, -1)  # the warp stamps
    assert not _pooled(size, np.int32, np.iinfo(np.int32).max)  # no read range was needed


def test_writing_each_element_once_at_the_threads_own_index_makes_no_shadow():
    size = N + 256  # a size no other test uses, a whole number of blocks
    fill[-(-size // 256), 256](cuda.device_array(size, np.float32))
    assert not _pooled(size, np.int64, -1)
    assert not _pooled(size, np.int32, -1)


def test_pooled_shadow_comes_back_reset():
    out = cuda.to_device(np.zeros(N, np.float32))
    for _ in range(3):
        with pytest.raises(RaceError, match="which block"):
            shift_left[N // 256, 256](out)
        read_then_write_own[N // 256, 256](out)  # no stale race from the launch before
        fill[N // 256, 256](out)


def test_the_pool_stays_bounded():
    shadow_pool.give_back(np.zeros(2 * shadow_pool._POOL_BYTES // 8, np.int64), 0)
    assert shadow_pool._pooled_bytes <= shadow_pool._POOL_BYTES
