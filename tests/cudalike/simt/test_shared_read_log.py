"""The shared-memory read log keeps a way to recompute a read's positions (when its index
holds only numbers and thread numbers) and the warps' sync count as one number (when every
warp synced as often): the write-after-read checks report as when the log held arrays."""

import numpy as np
import pytest
from numba import float32

from cudalike import cuda
from cudalike.errors import RaceError


@cuda.jit
def write_after_another_warps_read(out):
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    s[t] = t
    cuda.syncthreads()
    x = s[63 - t]
    s[t] = x
    out[cuda.grid(1)] = x


@cuda.jit
def write_after_a_lanes_read(out, sync_first):
    s = cuda.shared.array(64, float32)
    t = cuda.threadIdx.x
    s[t] = t
    cuda.syncthreads()
    x = s[t ^ 1]
    if sync_first:
        cuda.syncwarp()
    s[t] = x + 1
    out[cuda.grid(1)] = x


@cuda.jit
def tiles_without_the_second_barrier(A, out):
    s = cuda.shared.array((8, 8), float32)
    tx = cuda.threadIdx.x
    ty = cuda.threadIdx.y
    acc = float32(0)
    for it in range(3):
        s[ty, tx] = A[ty, tx] + it
        cuda.syncthreads()
        for k in range(8):
            acc += s[k, tx]
    out[ty, tx] = acc


def test_a_write_over_another_warps_logged_read_is_a_race():
    with pytest.raises(RaceError, match=r"'s'\[0\], which a thread of warp 1 \(linear threads"):
        write_after_another_warps_read[2, 64](cuda.to_device(np.zeros(128, np.float32)))


def test_a_write_over_a_lanes_read_needs_syncwarp_between():
    out = cuda.to_device(np.zeros(128, np.float32))
    with pytest.raises(RaceError, match=r"which thread \(1, 0, 0\) of the same warp read") as e:
        write_after_a_lanes_read[2, 64](out, False)
    assert (e.value.thread, e.value.element) == ((0, 0, 0), (0,))
    write_after_a_lanes_read[2, 64](out, True)
    assert out.copy_to_host().sum() == 4032


def test_tiles_overwritten_before_every_warp_read_them_are_a_race():
    A = cuda.to_device(np.arange(64, dtype=np.float32).reshape(8, 8))
    with pytest.raises(RaceError, match=r"'s'\[0, 0\], which a thread of warp 1"):
        tiles_without_the_second_barrier[1, (8, 8)](A, cuda.to_device(np.zeros((8, 8), np.float32)))
