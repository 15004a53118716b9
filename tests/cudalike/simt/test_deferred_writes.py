"""A store of one element per thread at cuda.grid(1) is only noted in the global race shadow
until another access needs it: races with it are still reported, by the same threads, at the
same elements, whether the grid runs as one chunk of lanes or several."""

import numpy as np
import pytest

from cudalike import config, cuda
from cudalike.errors import RaceError

N = 1024
TPB = 256


@cuda.jit
def write_then_read_next(out):
    i = cuda.grid(1)
    out[i] = 1.0
    if i + 1 < out.size:
        out[i] = out[i + 1]


@cuda.jit
def write_then_read_other_warp(out):
    i = cuda.grid(1)
    out[i] = 1.0
    x = out[i ^ 32]
    out[i] = x


@cuda.jit
def write_sync_then_read_other_warp(out):
    i = cuda.grid(1)
    out[i] = 1.0
    cuda.syncthreads()
    out[i] = out[i ^ 32] + 1


@cuda.jit
def write_twice(out):
    i = cuda.grid(1)
    out[i] = 1.0
    out[i] = 2.0


@cuda.jit
def write_then_write_next(out):
    i = cuda.grid(1)
    out[i] = 1.0
    if i + 1 < out.size:
        out[i + 1] = 2.0


@cuda.jit
def copy_then_overwrite(a, out):
    i = cuda.grid(1)
    x = a[i]
    out[i] = 5.0
    out[i] = x + a[i]


@pytest.fixture(params=[None, 512], ids=["one chunk", "two chunks"])
def lanes(request):
    settings = {} if request.param is None else {"max_lanes": request.param}
    with config.override(**settings):
        yield


def _zeros():
    return cuda.to_device(np.zeros(N, np.float32))


def test_a_read_of_another_blocks_deferred_write_is_a_race(lanes):
    with pytest.raises(RaceError, match=r"'out'\[256\], which block \(1, 0, 0\) writes") as e:
        write_then_read_next[N // TPB, TPB](_zeros())
    assert (e.value.block, e.value.thread, e.value.element) == ((0, 0, 0), (255, 0, 0), (256,))


def test_a_read_of_another_warps_deferred_write_is_a_race(lanes):
    with pytest.raises(RaceError, match=r"'out'\[32\], which a thread of warp 1 wrote") as e:
        write_then_read_other_warp[N // TPB, TPB](_zeros())
    assert (e.value.thread, e.value.other_thread) == ((0, 0, 0), (32, 0, 0))


def test_a_write_over_another_blocks_deferred_write_is_a_race(lanes):
    with pytest.raises(RaceError, match=r"'out'\[256\], which block \(1, 0, 0\) also writes"):
        write_then_write_next[N // TPB, TPB](_zeros())


def test_deferred_writes_met_by_the_same_thread_or_after_a_barrier_are_no_race(lanes):
    out = _zeros()
    write_twice[N // TPB, TPB](out)
    assert (out.copy_to_host() == 2).all()
    write_sync_then_read_other_warp[N // TPB, TPB](out)
    assert (out.copy_to_host() == 2).all()


def test_values_read_before_a_store_to_the_same_array_keep_their_value(lanes):
    a = cuda.to_device(np.arange(N, dtype=np.float32))
    copy_then_overwrite[N // TPB, TPB](a, a)  # out is a: x is read before the stores
    np.testing.assert_array_equal(a.copy_to_host(), np.arange(N, dtype=np.float32) + 5)


@cuda.jit
def overwrite_through_another_name(a, out):
    i = cuda.grid(1)
    x = a[i]
    b = a
    b[i] = 0.0
    out[i] = x


def test_values_read_before_a_store_through_another_name_keep_their_value():
    a = cuda.to_device(np.arange(N, dtype=np.float32) + 1)
    out = _zeros()
    overwrite_through_another_name[N // TPB, TPB](a, out)
    np.testing.assert_array_equal(out.copy_to_host(), np.arange(N, dtype=np.float32) + 1)
    assert not a.copy_to_host().any()
