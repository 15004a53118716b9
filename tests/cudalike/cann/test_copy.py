"""DataCopy / DataCopyPad: movement, alignment, bounds, synchronisation and cross-core races."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors

H = cann.half


def copy_kernel(n, tile, pad=False, sync=True):
    @cann.kernel
    def kernel(x, z):
        xGm, zGm = cann.GlobalTensor(H), cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x, n)
        zGm.SetGlobalBuffer(z, n)
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECIN, 1)
        pipe.InitBuffer(que, 1, 2 * tile + 64)
        t = que.AllocTensor(H)
        if pad:
            params = cann.DataCopyExtParams(1, 2 * tile, 0, 0, 0)
            cann.DataCopyPad(t, xGm, params, cann.DataCopyPadExtParams(True, 0, 0, 7))
        else:
            cann.DataCopy(t, xGm, tile)
        if sync:
            que.EnQue(t)
            t = que.DeQue(H)
        if pad:
            cann.DataCopyPad(zGm, t, cann.DataCopyExtParams(1, 2 * tile, 0, 0, 0))
        else:
            cann.DataCopy(zGm, t, tile)
        que.FreeTensor(t)

    return kernel


def test_round_trip_and_pad():
    x = np.arange(64, dtype=np.float16)
    z = np.zeros_like(x)
    copy_kernel(64, 64)[1](x, z)
    np.testing.assert_array_equal(z, x)
    z = np.zeros(21, np.float16)
    copy_kernel(21, 21, pad=True)[1](x[:21].copy(), z)
    np.testing.assert_array_equal(z, x[:21])


def test_unaligned_datacopy_says_hardware_rounds_down():
    x = np.zeros(64, np.float16)
    with pytest.raises(
        errors.AlignmentError,
        match=r"(?s)test_copy\.py:\d+.*block 0: DataCopy of 21 x float16 = 42 bytes.*round "
        r"down and copy only 16 elements",
    ):
        copy_kernel(64, 21)[1](x, x.copy())


def test_unaligned_ub_address():
    @cann.kernel
    def kernel(x):
        xGm = cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x)
        pipe = cann.TPipe()
        buf = cann.TBuf()
        pipe.InitBuffer(buf, 256)
        cann.DataCopy(buf.Get(H)[3], xGm, 16)

    with pytest.raises(errors.AlignmentError, match=r"starts at byte 6, not a multiple of 32"):
        kernel[1](np.zeros(64, np.float16))


def test_global_out_of_range():
    x = np.zeros(48, np.float16)
    with pytest.raises(
        errors.GlobalOutOfBoundsError, match=r"elements \[0, 64\) of a GlobalTensor of 48"
    ):
        copy_kernel(48, 64)[1](x, x.copy())


def tail_rows(rows_per_core, rows_touched):
    """Each core sets a view of `rows_per_core` 16-half rows from its first row, as the
    vendor's softmax does on an uneven split, and copies `rows_touched(core)` rows through it."""

    @cann.kernel
    def kernel(x, z):
        core = cann.GetBlockIdx()
        xGm, zGm = cann.GlobalTensor(H), cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x + core * rows_per_core * 16, rows_per_core * 16)
        zGm.SetGlobalBuffer(z + core * rows_per_core * 16, rows_per_core * 16)
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECIN, 1)
        pipe.InitBuffer(que, 1, 32)
        for row in range(rows_touched(core)):
            t = que.AllocTensor(H)
            cann.DataCopy(t, xGm[row * 16], 16)  # the read past the allocation
            que.EnQue(t)
            t = que.DeQue(H)
            cann.DataCopy(zGm[row * 16], t, 16)
            que.FreeTensor(t)

    return kernel


def test_a_view_set_past_the_allocation_runs_while_its_accesses_stay_inside():
    x = np.arange(10 * 16, dtype=np.float16)  # 10 rows over 3 cores of 4: the tail has 2
    z = np.zeros_like(x)
    tail_rows(4, lambda core: min(4, 10 - 4 * core))[3](x, z)
    np.testing.assert_array_equal(z, x)


def test_an_access_past_the_allocation_through_such_a_view_is_reported_where_it_happens():
    x = np.arange(10 * 16, dtype=np.float16)
    with pytest.raises(errors.GlobalOutOfBoundsError) as info:
        tail_rows(4, lambda core: 4)[3](x, np.zeros_like(x))
    message = str(info.value)  # core 2's third row: its view has 32 elements left of 64
    assert "# the read past the allocation" in message
    assert (
        "block 2: DataCopy touches elements [0, 16) of a GlobalTensor of 32 elements, past "
        "the end of its allocation (0 elements)"
    ) in message
    assert "SetGlobalBuffer gave this GlobalTensor 32 elements, but only 0 fit" in message


def test_a_negative_global_buffer_length_is_reported_when_set():
    @cann.kernel
    def negative(x):
        cann.GlobalTensor(H).SetGlobalBuffer(x + 8, 8 - 16)

    with pytest.raises(errors.GlobalOutOfBoundsError, match=r"SetGlobalBuffer of -8 float16"):
        negative[1](np.zeros(64, np.float16))


def test_vector_read_without_sync_is_a_race():
    @cann.kernel
    def kernel(x):
        xGm = cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x)
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECIN, 1)
        pipe.InitBuffer(que, 1, 128)
        t = que.AllocTensor(H)
        cann.DataCopy(t, xGm, 64)
        cann.Abs(t, t, 64)

    with pytest.raises(
        errors.SyncError,
        match=r"(?s)test_copy\.py:\d+.*Abs on pipe V reads a tensor written on pipe MTE2",
    ) as info:
        kernel[1](np.zeros(64, np.float16))
    assert info.value.pipe == "V"


def test_mte3_read_without_sync():
    x = np.zeros(64, np.float16)
    with pytest.raises(
        errors.SyncError, match=r"DataCopy on pipe MTE3 reads a tensor written on pipe MTE2"
    ):
        copy_kernel(64, 64, sync=False)[1](x, x.copy())


def test_two_cores_writing_the_same_bytes():
    @cann.kernel
    def kernel(x, z):
        xGm, zGm = cann.GlobalTensor(H), cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x)
        zGm.SetGlobalBuffer(z + 16 * cann.GetBlockIdx())  # overlapping shares of 32
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECOUT, 1)
        pipe.InitBuffer(que, 1, 64)
        t = que.AllocTensor(H)
        cann.DataCopy(t, xGm, 32)
        que.EnQue(t)
        t = que.DeQue(H)
        cann.DataCopy(zGm, t, 32)
        que.FreeTensor(t)

    with pytest.raises(
        errors.GlobalRaceError, match=r"block 1: DataCopy writes .* block 0 also wrote"
    ) as info:
        kernel[2](np.arange(64, dtype=np.float16), np.zeros(64, np.float16))
    assert info.value.block == 1
    # Blocks storing the same values into the same bytes: memory ends the same either way.
    z = np.zeros(64, np.float16)
    kernel[2](np.ones(64, np.float16), z)
    np.testing.assert_array_equal(z, np.r_[np.ones(48), np.zeros(16)])


def test_strided_datacopy_params():
    @cann.kernel
    def kernel(x, z):
        xGm, zGm = cann.GlobalTensor(H), cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x)
        zGm.SetGlobalBuffer(z)
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECIN, 1)
        pipe.InitBuffer(que, 1, 128)
        t = que.AllocTensor(H)
        cann.DataCopy(t, xGm, cann.DataCopyParams(2, 1, 1, 0))  # blocks 0 and 2 of x
        que.EnQue(t)
        t = que.DeQue(H)
        cann.DataCopy(zGm, t, 32)
        que.FreeTensor(t)

    x = np.arange(64, dtype=np.float16)
    z = np.zeros(32, np.float16)
    kernel[1](x, z)
    np.testing.assert_array_equal(z, np.concatenate([x[:16], x[32:48]]))


def test_interleaved_strided_writes_of_two_blocks_are_no_race():
    @cann.kernel
    def kernel(x, z):
        xGm, zGm = cann.GlobalTensor(H), cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x + 32 * cann.GetBlockIdx(), 32)
        zGm.SetGlobalBuffer(z + 16 * cann.GetBlockIdx())  # block b fills 32-byte blocks b, b + 2
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECOUT, 1)
        pipe.InitBuffer(que, 1, 64)
        t = que.AllocTensor(H)
        cann.DataCopy(t, xGm, 32)
        que.EnQue(t)
        t = que.DeQue(H)
        cann.DataCopy(zGm, t, cann.DataCopyParams(2, 1, 0, 1))  # skip one block between rows
        que.FreeTensor(t)

    x = np.arange(64, dtype=np.float16)
    z = np.zeros(64, np.float16)
    kernel[2](x, z)
    np.testing.assert_array_equal(z, np.r_[x[:16], x[32:48], x[16:32], x[48:]])
