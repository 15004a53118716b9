"""GM atomics (SetAtomicAdd/Max/Min/None), GM address arithmetic and the older DataCopyPad
parameter forms."""

import numpy as np
import pytest

from cudalike import cann
from cudalike.cann import errors

H, F = cann.half, cann.float32


def accumulate_kernel(mode, dtype=F, reset=True):
    """Every block copies its row of x onto the same 32 elements of z under `mode`."""

    @cann.kernel
    def kernel(x, z):
        xGm, zGm = cann.GlobalTensor(dtype), cann.GlobalTensor(dtype)
        xGm.SetGlobalBuffer(x.cast(dtype) + 32 * cann.GetBlockIdx(), 32)
        zGm.SetGlobalBuffer(z.cast(dtype), 32)
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECOUT, 1)
        pipe.InitBuffer(que, 1, 32 * np.dtype(dtype).itemsize)
        t = que.AllocTensor(dtype)
        cann.DataCopy(t, xGm, 32)
        que.EnQue(t)
        t = que.DeQue(dtype)
        if mode is not None:
            mode()
        cann.DataCopy(zGm, t, 32)
        if reset:
            cann.SetAtomicNone()
        que.FreeTensor(t)

    return kernel


def test_atomic_add_accumulates_across_blocks():
    x = np.arange(96, dtype=np.float32)
    z = np.ones(32, np.float32)
    accumulate_kernel(cann.SetAtomicAdd[F])[3](x, z)
    np.testing.assert_array_equal(z, 1 + x.reshape(3, 32).sum(axis=0))


def test_atomic_max_and_min():
    x = np.random.default_rng(0).standard_normal(96).astype(np.float32)
    z = np.full(32, -np.inf, np.float32)
    accumulate_kernel(lambda: cann.SetAtomicMax(F))[3](x, z)
    np.testing.assert_array_equal(z, x.reshape(3, 32).max(axis=0))
    z = np.full(32, np.inf, np.float32)
    accumulate_kernel(lambda: cann.SetAtomicMin(F))[3](x, z)
    np.testing.assert_array_equal(z, x.reshape(3, 32).min(axis=0))


def test_without_atomics_overlapping_writes_are_a_race():
    x = np.arange(64, dtype=np.float32)
    with pytest.raises(errors.GlobalRaceError, match=r"block 1: DataCopy writes"):
        accumulate_kernel(None)[2](x, np.zeros(32, np.float32))


def test_atomic_type_must_match_the_data():
    x = np.zeros(64, np.float16)
    with pytest.raises(
        errors.InstructionError,
        match=r"(?s)test_gm_atomics\.py:\d+.*DataCopy writes float16 .* SetAtomicAdd<float32>",
    ):
        accumulate_kernel(lambda: cann.SetAtomicAdd(F), dtype=H)[1](x, np.zeros(32, np.float16))


def test_gm_address_arithmetic():
    seen = {}

    @cann.kernel
    def kernel(x):
        byte_step = (x.cast(cann.uint8) + 64).cast(H)  # GM_ADDR + 64 bytes
        g = cann.GlobalTensor(H)
        g.SetGlobalBuffer(x.cast(H) + 32, 16)  # (__gm__ half*)x + 32
        seen["same"] = byte_step.byte_offset == g.GetPhyAddr().byte_offset
        seen["phy"] = g.GetPhyAddr(4).byte_offset
        seen["back"] = (g.GetPhyAddr() - 32).byte_offset
        seen["value"] = float(g.GetValue(1))

    kernel[1](np.arange(64, dtype=np.float16))
    assert seen == {"same": True, "phy": 72, "back": 0, "value": 33.0}


def test_datacopypad_takes_the_older_parameter_forms():
    @cann.kernel
    def kernel(x, z):
        xGm, zGm = cann.GlobalTensor(H), cann.GlobalTensor(H)
        xGm.SetGlobalBuffer(x)
        zGm.SetGlobalBuffer(z)
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECIN, 1)
        pipe.InitBuffer(que, 1, 64)
        t = que.AllocTensor(H)
        params = cann.DataCopyParams(1, 42, 0, 0)  # blockLen in bytes for DataCopyPad
        cann.DataCopyPad(t, xGm, params, cann.DataCopyPadParams(True, 0, 11, 7))
        que.EnQue(t)
        t = que.DeQue(H)
        seen.append(t.numpy())
        cann.DataCopyPad(zGm, t, params)
        que.FreeTensor(t)

    seen = []
    x = np.arange(21, dtype=np.float16)
    z = np.zeros_like(x)
    kernel[1](x, z)
    np.testing.assert_array_equal(z, x)
    np.testing.assert_array_equal(seen[0][21:32], 7)


def test_atomic_mode_belongs_to_the_running_core_only():
    x = np.arange(32, dtype=np.float32)
    z = np.ones(32, np.float32)
    accumulate_kernel(cann.SetAtomicAdd[F], reset=False)[1](x, z)  # left set at the end
    np.testing.assert_array_equal(z, 1 + x)
    accumulate_kernel(None)[1](x, z)  # a new launch starts with plain writes
    np.testing.assert_array_equal(z, x)


def test_init_global_memory_then_atomic_add():
    @cann.kernel
    def kernel(x, z):
        xGm, zGm = cann.GlobalTensor(F), cann.GlobalTensor(F)
        xGm.SetGlobalBuffer(x.cast(F) + 32 * cann.GetBlockIdx(), 32)
        zGm.SetGlobalBuffer(z.cast(F) + 32 * cann.GetBlockIdx(), 32)
        cann.InitGlobalMemory(zGm, 32, 2.0)
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECOUT, 1)
        pipe.InitBuffer(que, 1, 128)
        t = que.AllocTensor(F)
        cann.DataCopy(t, xGm, 32)
        que.EnQue(t)
        t = que.DeQue(F)
        cann.SetAtomicAdd(F)
        cann.DataCopy(zGm, t, 32)
        cann.SetAtomicNone()
        que.FreeTensor(t)

    x = np.arange(64, dtype=np.float32)
    z = np.full(64, np.nan, np.float32)
    kernel[2](x, z)
    np.testing.assert_array_equal(z, 2 + x)
    with pytest.raises(errors.GlobalOutOfBoundsError, match=r"InitGlobalMemory touches"):

        @cann.kernel
        def too_far(z):
            g = cann.GlobalTensor(F)
            g.SetGlobalBuffer(z.cast(F), 16)
            cann.InitGlobalMemory(g, 17, 0.0)

        too_far[1](np.zeros(16, np.float32))


def short_view_kernel(atomic: bool, view: int):
    """Copy 16 floats into a GM view of `view` elements at the start of z (z holds 24)."""

    @cann.kernel
    def kernel(x, z):
        xGm, zGm = cann.GlobalTensor(F), cann.GlobalTensor(F)
        xGm.SetGlobalBuffer(x.cast(F), 16)
        zGm.SetGlobalBuffer(z.cast(F), view)
        pipe = cann.TPipe()
        que = cann.TQue(cann.TPosition.VECOUT, 1)
        pipe.InitBuffer(que, 1, 64)
        t = que.AllocTensor(F)
        cann.DataCopy(t, xGm, 16)
        que.EnQue(t)
        t = que.DeQue(F)
        if atomic:
            cann.SetAtomicAdd(F)
        cann.DataCopy(zGm, t, 16)
        cann.SetAtomicNone()
        que.FreeTensor(t)

    return kernel


def test_atomic_write_past_a_view_inside_the_allocation_runs():
    x = np.arange(16, dtype=np.float32)
    z = np.ones(24, np.float32)
    short_view_kernel(atomic=True, view=12)[1](x, z)
    np.testing.assert_array_equal(z, np.r_[x + 1, np.ones(8)])


def test_plain_write_past_a_view_and_atomic_write_past_the_allocation_are_reported():
    x = np.arange(16, dtype=np.float32)
    with pytest.raises(errors.GlobalOutOfBoundsError, match=r"\[0, 16\) of a GlobalTensor of 12"):
        short_view_kernel(atomic=False, view=12)[1](x, np.ones(24, np.float32))
    with pytest.raises(errors.GlobalOutOfBoundsError, match="past the end of its allocation"):
        short_view_kernel(atomic=True, view=12)[1](x, np.ones(12, np.float32))
